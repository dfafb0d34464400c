-- AlterTable
ALTER TABLE "bots" ADD COLUMN     "identity_secret_ciphertext" TEXT;

-- Hand-written: processes cache the identity secret like the publishable key, so rotating it must move
-- the configuration revision too (tokens signed with the old secret stop working everywhere within ~1 s).
DROP TRIGGER bots_config_revision ON bots;
CREATE TRIGGER bots_config_revision
  AFTER UPDATE OF tenant_id, publishable_key, allowed_origins, archived_at, entry_flow_id, identity_secret_ciphertext
    OR DELETE ON bots
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();
