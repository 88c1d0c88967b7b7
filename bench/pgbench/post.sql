WITH address AS (SELECT 'pgb-' || gen_random_uuid() || '@example.com' AS email)
INSERT INTO users (id, email, email_key, name, created_at, updated_at, version) SELECT gen_random_uuid(), email, email, 'Bench User', now(), now(), 1 FROM address;
