import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import {
  createInfrastructure,
  createVault,
  generateKeyringEntry,
  type Infrastructure,
  parseKeyring,
} from "@parley/infra";
import { createApiKey } from "../api-keys/api-keys";
import { createBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { createFlow, publishFlow } from "../flows/flows";
import { createTenant, createUser } from "../tenants/tenants";

/** The pizza example flow document (internal to tests). */
export const pizzaFlow = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** A database, embedded infrastructure and vault for one suite (internal to tests). */
export interface Harness {
  deps: CoreDeps;
  testDb: TestDatabase;
  infra: Infrastructure;
  cleanup(): Promise<void>;
}

/** Builds a harness; `kind` picks the database (default: real Postgres when reachable). */
export async function createHarness(
  options: { kind?: "postgres" | "embedded" | "auto"; redisUrl?: string } = {},
): Promise<Harness> {
  const testDb = await createTestDatabase({ kind: options.kind ?? "auto" });
  const dataDir = mkdtempSync(join(tmpdir(), "parley-core-"));
  const infra = await createInfrastructure({
    dataDir,
    ...(options.redisUrl
      ? { redisUrl: options.redisUrl, keyPrefix: `parley-test-${process.pid}-${Date.now()}:` }
      : {}),
    logger: { info() {}, warn() {}, error() {} } as never,
  });
  const vault = createVault(parseKeyring(generateKeyringEntry("test")));
  const deps: CoreDeps = { db: testDb.db, infra, vault };
  return {
    deps,
    testDb,
    infra,
    cleanup: async () => {
      await infra.close();
      await testDb.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tenant with an owner, a bot running the published pizza flow and a `*` API key (internal to tests). */
export async function seedTenant(deps: CoreDeps, name = "Acme") {
  const owner = await createUser(deps, {
    email: `owner-${Math.random().toString(36).slice(2)}@example.com`,
    name: "Owner",
  });
  const tenant = await createTenant(deps, { name, ownerUserId: owner.id });
  const ctx: ServiceContext = {
    deps,
    tenantId: tenant.id,
    actor: { type: "user", userId: owner.id, role: "owner", label: owner.email },
  };
  const bot = await createBot(ctx, { name: "Pizza bot", allowedOrigins: ["http://shop.test"] });
  const flow = await createFlow(ctx, { botId: bot.id, document: pizzaFlow() });
  const version = await publishFlow(ctx, flow.id, { note: "first" });
  const { key, apiKey } = await createApiKey(ctx, { name: "all", scopes: ["*"] });
  return { owner, tenant, ctx, bot, flow, version, key, apiKey };
}
