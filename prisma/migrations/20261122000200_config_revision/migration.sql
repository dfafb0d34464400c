-- Hand-written: a cross-process "configuration changed" counter.
-- Processes cache API keys, publishable keys, bots' entry flows and integrations in memory; each process
-- polls this one-row table (about twice a second) and drops those caches when the revision moved, so a
-- revoked key or a new publish is effective everywhere within about a second, on the embedded database
-- (studio and runtime are separate processes) as on a cluster. The triggers bump it in the SAME
-- transaction as the change, so a process never sees the new revision before the change is visible.
-- The runner wraps this file in one transaction; do not add BEGIN/COMMIT.
-- The schema test (packages/db/src/migrations/schema-parity.test.ts) lists every object created here.

CREATE TABLE parley_config_revision (
  id integer PRIMARY KEY DEFAULT 1 CONSTRAINT parley_config_revision_single_row CHECK (id = 1),
  revision bigint NOT NULL DEFAULT 0
);
INSERT INTO parley_config_revision (id, revision) VALUES (1, 0);

-- SECURITY DEFINER: tenant-scoped statements (role parley_app) fire the triggers but get no privilege on
-- the table itself.
CREATE OR REPLACE FUNCTION parley_bump_config_revision() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  UPDATE parley_config_revision SET revision = revision + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

-- Only the columns caches depend on (api_keys.last_used_at changes on use and must not bump it).
CREATE TRIGGER api_keys_config_revision
  AFTER UPDATE OF tenant_id, key_hash, scopes, expires_at, revoked_at OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();
CREATE TRIGGER bots_config_revision
  AFTER UPDATE OF tenant_id, publishable_key, allowed_origins, archived_at, entry_flow_id OR DELETE ON bots
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();
CREATE TRIGGER flows_config_revision
  AFTER UPDATE OF tenant_id, bot_id, published_version_id, archived_at OR DELETE ON flows
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();
CREATE TRIGGER integrations_config_revision
  AFTER UPDATE OR DELETE ON integrations
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();
