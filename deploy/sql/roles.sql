-- The database roles the deployment uses (deploy/base/secret.template.yaml), least privilege:
--   backendservice_owner  owns the schema; the migration Job connects as it (DDL).
--   backendservice_app    the pods: read and write rows of the owner's tables, nothing else.
-- Run once per database as a superuser (or the database owner), with the passwords as variables:
--   psql -v owner_password=... -v app_password=... -d app -f deploy/sql/roles.sql
-- Idempotent: a second run changes the passwords and grants nothing new.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE backendservice_owner LOGIN PASSWORD %L', :'owner_password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backendservice_owner') \gexec
SELECT format('CREATE ROLE backendservice_app LOGIN PASSWORD %L', :'app_password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backendservice_app') \gexec
ALTER ROLE backendservice_owner PASSWORD :'owner_password';
ALTER ROLE backendservice_app PASSWORD :'app_password';

-- Nobody else may create objects in public (PostgreSQL 15 already says so; older ones did not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO backendservice_owner;
SELECT format('GRANT CONNECT ON DATABASE %I TO backendservice_owner, backendservice_app', current_database()) \gexec
GRANT USAGE ON SCHEMA public TO backendservice_app;

-- Tables the migrations create (now and later) are the owner's; the app may use their rows.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO backendservice_app;
ALTER DEFAULT PRIVILEGES FOR ROLE backendservice_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO backendservice_app;
ALTER DEFAULT PRIVILEGES FOR ROLE backendservice_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO backendservice_app;
