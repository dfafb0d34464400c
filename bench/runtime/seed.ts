/**
 * Seeds a benchmark database through the core services: a tenant, the published pizza flow and a
 * `*` API key.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createApiKey,
  createBot,
  createFlow,
  createTenant,
  createUser,
  publishFlow,
  type ServiceContext,
} from "@parley/core";
import type { Database } from "@parley/db";
import { createInfrastructure } from "@parley/infra";
import { root } from "./processes";

/** What the load needs: the bot to talk to and a key. */
export interface Seeded {
  botId: string;
  key: string;
  tenantId: string;
}

/** Seeds one tenant with the pizza bot. */
export async function seed(db: Database): Promise<Seeded> {
  const pizza = JSON.parse(readFileSync(join(root, "examples/flows/pizza-order.json"), "utf8"));
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-seed-"));
  const infra = await createInfrastructure({ dataDir, withQueue: false });
  try {
    const deps = { db, infra } as CoreDeps;
    const owner = await createUser(deps, { email: `bench-${Date.now()}@example.com`, name: "Bench" });
    const tenant = await createTenant(deps, { name: "Bench", ownerUserId: owner.id });
    const ctx: ServiceContext = {
      deps,
      tenantId: tenant.id,
      actor: { type: "user", userId: owner.id, role: "owner", label: "bench" },
    };
    const bot = await createBot(ctx, { name: "Pizza" });
    const flow = await createFlow(ctx, { botId: bot.id, document: pizza });
    await publishFlow(ctx, flow.id, {});
    const { key } = await createApiKey(ctx, { name: "bench", scopes: ["*"] });
    return { botId: bot.id, key, tenantId: tenant.id };
  } finally {
    await infra.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
