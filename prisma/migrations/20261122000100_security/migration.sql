-- Hand-written: what Prisma's schema language cannot express.
--   1. Roles: parley_app (tenant-scoped queries run as it) and parley_system (cross-tenant system access).
--   2. Row-level security, enabled and FORCED on every table with a tenant_id column, plus tenants itself.
--   3. Immutability: published flow versions and audit log rows refuse UPDATE and DELETE.
--   4. Full-text search vector of knowledge chunks, maintained by a trigger.
--   5. Constraints Prisma cannot model (partial unique index, check constraint).
-- The migration runner wraps this file in one transaction; do not add BEGIN/COMMIT.
-- The schema test (packages/db/src/migrations/schema-parity.test.ts) lists every object created here.

-- 1. Roles -------------------------------------------------------------------------------------------------
-- Roles are cluster-wide: create them only if missing, and tolerate another database's migration creating
-- them at the same moment (unique_violation/duplicate_object).
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['parley_app', 'parley_system'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    -- The role that migrates (and later connects) must be able to SET ROLE parley_app and is the system
    -- role. Superusers are members of every role already.
    IF NOT pg_has_role(current_user, role_name, 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT %I TO %I', role_name, current_user);
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO parley_app;

-- 2. Row-level security ------------------------------------------------------------------------------------
-- Tenant-scoped queries run as parley_app inside a transaction that did
--   SELECT set_config('role', 'parley_app', true), set_config('app.tenant_id', '<tenant id>', true)
-- and see only rows whose tenant_id equals app.tenant_id (no setting: no rows). The policy applies to every
-- role (FORCE includes the table owner); members of parley_system additionally get full access, which is
-- what the system client uses.
CREATE OR REPLACE FUNCTION parley_secure_tenant_tables() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  table_name text;
BEGIN
  FOR table_name IN
    SELECT c.relname
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
    ORDER BY c.relname
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', table_name);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I'
      ' USING (tenant_id = current_setting(''app.tenant_id'', true))'
      ' WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))',
      table_name);
    EXECUTE format('DROP POLICY IF EXISTS system_access ON %I', table_name);
    EXECUTE format('CREATE POLICY system_access ON %I TO parley_system USING (true) WITH CHECK (true)', table_name);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO parley_app', table_name);
  END LOOP;
END
$$;

COMMENT ON FUNCTION parley_secure_tenant_tables() IS
  'Idempotent: enables and forces RLS with the tenant policies on every table that has a tenant_id column. '
  'Every migration that adds a tenant-owned table must end with SELECT parley_secure_tenant_tables();';

SELECT parley_secure_tenant_tables();

-- The tenant row itself: a tenant sees and may rename only itself.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = current_setting('app.tenant_id', true))
  WITH CHECK (id = current_setting('app.tenant_id', true));
CREATE POLICY system_access ON tenants TO parley_system USING (true) WITH CHECK (true);
GRANT SELECT, UPDATE ON tenants TO parley_app;

-- Users are global. Tenant-scoped queries may read member profiles (e.g. include membership.user) but never
-- the password hash. Add new non-secret user columns here too.
GRANT SELECT (id, email, name, email_verified_at, last_login_at, disabled_at, created_at, updated_at)
  ON users TO parley_app;

-- 3. Immutability ------------------------------------------------------------------------------------------
-- The only way around the guards below: the system role deleting a whole tenant in a transaction that set
-- parley.purge_tenant to that tenant's id (see purgeTenant in @parley/db).
CREATE OR REPLACE FUNCTION parley_purge_allowed(row_tenant_id text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT current_setting('parley.purge_tenant', true) = row_tenant_id
     AND pg_has_role(current_user, 'parley_system', 'MEMBER');
$$;

CREATE OR REPLACE FUNCTION parley_guard_published_flow_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    IF TG_OP = 'DELETE' AND parley_purge_allowed(OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'flow version % is published and therefore immutable (% refused)', OLD.id, TG_OP
      USING ERRCODE = 'PA001', HINT = 'Publish a new version instead.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER flow_versions_published_immutable
  BEFORE UPDATE OR DELETE ON flow_versions
  FOR EACH ROW EXECUTE FUNCTION parley_guard_published_flow_version();

ALTER TABLE flow_versions ADD CONSTRAINT flow_versions_published_complete
  CHECK (status <> 'published' OR (machine IS NOT NULL AND published_at IS NOT NULL));

CREATE OR REPLACE FUNCTION parley_guard_audit_log() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND parley_purge_allowed(OLD.tenant_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
    USING ERRCODE = 'PA002';
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION parley_guard_audit_log();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION parley_guard_audit_log();

-- 4. Full-text search --------------------------------------------------------------------------------------
-- search_vector follows content in the chunk's language (a text search configuration name such as
-- 'english'); an unknown language falls back to 'simple'. Query with the same configuration, e.g.
--   WHERE search_vector @@ websearch_to_tsquery('english', $1)  (served by knowledge_chunks_search_vector_idx)
CREATE OR REPLACE FUNCTION parley_knowledge_chunk_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  config regconfig;
BEGIN
  SELECT c.oid::regconfig INTO config FROM pg_catalog.pg_ts_config c WHERE c.cfgname = NEW.language LIMIT 1;
  NEW.search_vector := to_tsvector(COALESCE(config, 'simple'::regconfig), COALESCE(NEW.content, ''));
  RETURN NEW;
END
$$;

CREATE TRIGGER knowledge_chunks_search_vector
  BEFORE INSERT OR UPDATE OF content, language ON knowledge_chunks
  FOR EACH ROW EXECUTE FUNCTION parley_knowledge_chunk_search_vector();

-- 5. Constraints Prisma cannot model -----------------------------------------------------------------------
-- At most one tenant-wide budget (bot_id NULL); per-bot budgets are unique through budgets_tenant_id_bot_id_key.
CREATE UNIQUE INDEX budgets_tenant_wide_key ON budgets (tenant_id) WHERE bot_id IS NULL;
