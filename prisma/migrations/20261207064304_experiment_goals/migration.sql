-- AlterTable
ALTER TABLE "experiments" ADD COLUMN     "ab_split_node_id" TEXT,
ADD COLUMN     "goal" JSONB;


-- Hand-written: at most one running experiment per bot (the start check's second wall, against races).
CREATE UNIQUE INDEX "experiments_one_running_per_bot" ON "experiments" ("tenant_id", "bot_id") WHERE "status" = 'running';

-- Hand-written: starting or stopping an experiment changes how new conversations start, so process caches
-- of running experiments drop with the configuration revision.
CREATE TRIGGER experiments_config_revision
  AFTER INSERT OR UPDATE OF status, variants, ab_split_node_id OR DELETE ON experiments
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();
