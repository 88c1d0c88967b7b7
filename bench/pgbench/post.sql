INSERT INTO users (id, email, name, created_at, updated_at) VALUES (gen_random_uuid(), 'pgb-' || gen_random_uuid() || '@example.com', 'Bench User', now(), now()) RETURNING xmin;
