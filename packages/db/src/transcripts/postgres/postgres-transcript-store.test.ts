import { createTestDatabase } from "../../testing/index";
import { describeTranscriptStoreContract } from "../transcript-store.contract";
import { createPostgresTranscriptStore } from "./postgres-transcript-store";

// The transcript-store contract against Postgres: runs everywhere (real Postgres when reachable,
// else the embedded server).
describeTranscriptStoreContract("postgres", async () => {
  const testDb = await createTestDatabase();
  return {
    db: testDb.db,
    store: createPostgresTranscriptStore(testDb.db),
    cleanup: () => testDb.cleanup(),
  };
});
