-- Hand-written: deleting one bot or one flow for good (studio "Delete", DELETE ...?permanent=true), which
-- takes its published flow versions with it. Like a tenant purge, only the system role may do it, in a
-- transaction that names the one bot (parley.purge_bot = '<tenant id>:<bot id>') or flow
-- (parley.purge_flow = '<tenant id>:<flow id>'); see purgeBot / purgeFlow in @parley/db. Published
-- versions stay immutable otherwise. The runner wraps this file in one transaction; do not add BEGIN/COMMIT.

CREATE OR REPLACE FUNCTION parley_guard_published_flow_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    IF TG_OP = 'DELETE' AND (
      parley_purge_allowed(OLD.tenant_id)
      OR (
        pg_has_role(current_user, 'parley_system', 'MEMBER')
        AND (
          current_setting('parley.purge_bot', true) = OLD.tenant_id || ':' || OLD.bot_id
          OR current_setting('parley.purge_flow', true) = OLD.tenant_id || ':' || OLD.flow_id
        )
      )
    ) THEN
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
