SELECT id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject FROM users ORDER BY created_at DESC, id DESC LIMIT 51;
