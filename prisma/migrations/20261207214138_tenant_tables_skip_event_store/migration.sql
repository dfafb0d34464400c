-- Hand-written migration. Runs in one transaction: no BEGIN/COMMIT, no CREATE INDEX CONCURRENTLY.
-- parley_secure_tenant_tables() leaves alone a table whose comment starts with 'parley: no row-level
-- security': with TimescaleDB, analytics events live in such a table (analytics_event_store, compressed
-- and aggregated by TimescaleDB, which refuses both on a table with row-level security); the tenant role
-- has no privilege on it and reaches it through the analytics_events view, which holds the tenant wall
-- (see packages/core/src/analytics/timescale-event-store.ts). Every other table is secured as before.
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
      AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'parley: no row-level security%'
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
