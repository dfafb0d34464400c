import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreEnvSchema, parseEnv } from "@parley/config";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../context";
import { createTenant, createUser } from "../tenants/tenants";
import { createCoreDeps } from "./create-core-deps";

let testDb: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "parley-compose-"));
}, 60_000);
afterAll(async () => {
  await testDb?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("createCoreDeps", () => {
  it("composes working dependencies from the validated environment", async () => {
    const env = parseEnv(coreEnvSchema, { PARLEY_DATA_DIR: dataDir });
    const core = await createCoreDeps(env, { db: testDb.db });
    try {
      expect(core.deps.infra.mode).toBe("embedded");
      // The vault's key was generated into the data directory: a second composition decrypts.
      const sealed = core.deps.vault!.encrypt("secret", "test");
      const again = await createCoreDeps(env, { db: testDb.db });
      expect(again.deps.vault!.decrypt(sealed, "test")).toBe("secret");
      await again.close();
      // Core services run on it, and the model layer answers offline with no provider variable.
      const owner = await createUser(core.deps, { email: `compose-${Date.now()}@example.com`, name: "O" });
      const tenant = await createTenant(core.deps, { name: "Composed", ownerUserId: owner.id });
      expect(systemContext(core.deps, tenant.id).tenantId).toBe(tenant.id);
      const answer = await core.models.orchestrator.complete(
        { route: "default", messages: [{ role: "user", content: "hi" }] },
        { tenantId: tenant.id },
        { signal: AbortSignal.timeout(10_000) },
      );
      expect(answer.record.providerKind).toBe("offline");
    } finally {
      await core.close();
    }
  }, 60_000);

  it("names PARLEY_OUTBOUND_ALLOWED_HOSTS when an entry is not a valid host or range", async () => {
    const env = parseEnv(coreEnvSchema, {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_OUTBOUND_ALLOWED_HOSTS: "10.0.0.0/99",
    });
    await expect(createCoreDeps(env, { db: testDb.db })).rejects.toThrow(/PARLEY_OUTBOUND_ALLOWED_HOSTS/);
  });
});
