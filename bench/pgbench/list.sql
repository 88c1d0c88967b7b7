SELECT id, email, name, created_at, updated_at, xmin FROM users ORDER BY created_at DESC, id DESC LIMIT 51;
