\set n random(1, :users)
SELECT id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject FROM users WHERE id = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::int), 12, '0'))::uuid LIMIT 1;
