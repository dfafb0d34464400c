import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { describe } from "vitest";
import { createTestDatabase } from "../../testing/index";
import { postgresContactDirectory } from "../contact-directory";
import { describeTranscriptStoreContract } from "../transcript-store.contract";
import { createMongoTranscriptStore } from "./mongo-transcript-store";

const url = process.env.MONGODB_URL;

// The same contract against a real MongoDB server (4.4 or later; a standalone server, a replica set
// or a sharded cluster): only with MONGODB_URL, as no MongoDB server runs on the CI machines. Each
// run uses a database of its own (parley_test_<random>) and drops it at the end.
//   MONGODB_URL=mongodb://127.0.0.1:27017 npx vitest run src/transcripts
describe.skipIf(!url)("MongoDB transcript store (MONGODB_URL)", () => {
  describeTranscriptStoreContract("mongodb", async () => {
    const testDb = await createTestDatabase();
    const client = new MongoClient(url!, { serverSelectionTimeoutMS: 10_000, appName: "parley-test" });
    await client.connect();
    const db = client.db(`parley_test_${randomBytes(6).toString("hex")}`);
    return {
      db: testDb.db,
      store: createMongoTranscriptStore({ db, contacts: postgresContactDirectory(testDb.db) }),
      cleanup: async () => {
        await db.dropDatabase().catch(() => {});
        await client.close();
        await testDb.cleanup();
      },
    };
  });
});
