/**
 * With TimescaleDB, raw analytics events are compressed and feed a continuous aggregate. TimescaleDB
 * refuses both on a table with row-level security ("columnstore cannot be used on table with row
 * security", "cannot create continuous aggregate on hypertable with row security"), so the rows move to a
 * system-owned table without it, and the tenant wall moves to a view:
 *
 * - `analytics_event_store`: the hypertable holding the rows; the tenant role (parley_app) has no privilege
 *   on it at all.
 * - `analytics_events`: a `security_barrier` view over it that shows a tenant-scoped transaction only its
 *   tenant's rows (`app.tenant_id`, as the row policy did) and the system role every row; `WITH CHECK
 *   OPTION` refuses a row for another tenant, as the policy's WITH CHECK did. The view is auto-updatable,
 *   so every statement that reads or writes `analytics_events` (the turn's commit, the tail, erase,
 *   retention) runs unchanged, and the views built on it keep their `security_invoker` wall.
 *
 * Each statement is idempotent (the runtime runs them at every start).
 */

/** The system-owned table behind the `analytics_events` view once TimescaleDB is enabled. */
export const EVENT_STORE = "analytics_event_store";

/** The rows a caller may see: its tenant's in a tenant-scoped transaction, all for the system role. */
const TENANT_WALL = `tenant_id = current_setting('app.tenant_id', true)
  OR pg_has_role(current_user, 'parley_system', 'MEMBER')`;

/**
 * Moves analytics_events' rows behind the tenant view, once: the views reading the table (captured with
 * their definitions and options before the rename, as a rename would re-point them at the store) are
 * re-created over the new view, column defaults are copied to it (an INSERT through a view takes the
 * view's defaults), and the store gets a comment that tells `parley_secure_tenant_tables()` to leave its
 * row-level security off.
 */
export const EVENT_STORE_SQL = `DO $$
DECLARE
  readers text[];
  definitions text[];
  options text[];
  defaults record;
BEGIN
  IF to_regclass('${EVENT_STORE}') IS NOT NULL THEN
    RETURN;
  END IF;
  SELECT coalesce(array_agg(v.oid::regclass::text ORDER BY v.oid), '{}'),
         coalesce(array_agg(pg_get_viewdef(v.oid) ORDER BY v.oid), '{}'),
         coalesce(array_agg(coalesce(array_to_string(v.reloptions, ', '), '') ORDER BY v.oid), '{}')
    INTO readers, definitions, options
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.refobjid = 'analytics_events'::regclass AND r.ev_class <> 'analytics_events'::regclass) views
    JOIN pg_class v ON v.oid = views.oid;
  ALTER TABLE analytics_events RENAME TO ${EVENT_STORE};
  ALTER TABLE ${EVENT_STORE} NO FORCE ROW LEVEL SECURITY;
  ALTER TABLE ${EVENT_STORE} DISABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS tenant_isolation ON ${EVENT_STORE};
  DROP POLICY IF EXISTS system_access ON ${EVENT_STORE};
  REVOKE ALL ON ${EVENT_STORE} FROM parley_app;
  COMMENT ON TABLE ${EVENT_STORE} IS
    'parley: no row-level security (TimescaleDB compression); tenants reach it through the analytics_events view';
  CREATE VIEW analytics_events WITH (security_barrier) AS
    SELECT * FROM ${EVENT_STORE} WHERE ${TENANT_WALL}
    WITH CASCADED CHECK OPTION;
  FOR defaults IN
    SELECT a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS expression
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = '${EVENT_STORE}'::regclass
  LOOP
    EXECUTE format('ALTER VIEW analytics_events ALTER COLUMN %I SET DEFAULT %s', defaults.name, defaults.expression);
  END LOOP;
  GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_events TO parley_app;
  FOR i IN 1 .. coalesce(array_length(readers, 1), 0) LOOP
    EXECUTE format('CREATE OR REPLACE VIEW %s %s AS %s', readers[i],
      CASE WHEN options[i] = '' THEN '' ELSE 'WITH (' || options[i] || ')' END, definitions[i]);
  END LOOP;
END $$`;

/**
 * Compression of the store: chunks older than a week (rolled up long before; read again only by erase,
 * retention and experiment goals, which TimescaleDB serves from compressed chunks), segmented by tenant
 * (every read filters by it) and ordered by creation time, by TimescaleDB's background policy.
 */
export const EVENT_COMPRESSION_SQL = [
  `DO $$
BEGIN
  IF NOT (SELECT compression_enabled FROM timescaledb_information.hypertables
          WHERE hypertable_schema = current_schema() AND hypertable_name = '${EVENT_STORE}') THEN
    ALTER TABLE ${EVENT_STORE} SET (timescaledb.compress, timescaledb.compress_segmentby = 'tenant_id',
      timescaledb.compress_orderby = 'created_at, id');
  END IF;
END $$`,
  `SELECT add_compression_policy('${EVENT_STORE}', compress_after => INTERVAL '7 days', if_not_exists => true)`,
];
