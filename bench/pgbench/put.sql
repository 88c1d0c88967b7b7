\set n random(1, :users)
SELECT id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject FROM users WHERE id = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::int), 12, '0'))::uuid LIMIT 1 \gset
UPDATE users SET email = 'seed' || :n || '@example.com', email_key = 'seed' || :n || '@example.com', name = 'Updated', updated_at = now() WHERE id = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::int), 12, '0'))::uuid AND version = :version RETURNING version;
