import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreEnvSchema, parseEnv } from "@parley/config";
import {
  createBot,
  createChannel,
  createFlow,
  createTenant,
  createUser,
  publishFlow,
  type ServiceContext,
} from "@parley/core";
import { createCoreDeps } from "@parley/core/composition";
import type { Database } from "@parley/db";

/** An echo flow: ask for anything, say it back, ask again (each inbound message is one turn, one reply). */
export const echoFlow = {
  version: 1,
  id: "echo",
  name: "Echo",
  variables: [{ name: "said", type: "string" }],
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "ask",
      kind: "ask",
      position: { x: 0, y: 100 },
      data: { prompt: "Say something", input: { type: "text" }, saveTo: "said" },
    },
    { id: "echo", kind: "message", position: { x: 0, y: 200 }, data: { text: "Got {{ said }}" } },
    { id: "end", kind: "end", position: { x: 0, y: 300 }, data: {} },
  ],
  edges: [
    { id: "a", source: "start", sourceHandle: "next", target: "ask" },
    { id: "b", source: "ask", sourceHandle: "next", target: "echo" },
    { id: "c", source: "echo", sourceHandle: "next", target: "ask" },
    { id: "d", source: "ask", sourceHandle: "error", target: "end" },
  ],
};

/** Seeds a tenant with the echo bot connected to Telegram at `apiUrl` (its setWebhook answers there). */
export async function seedTelegramBot(
  db: Database,
  options: { apiUrl: string; botToken: string; secretKey: string },
): Promise<{ channelId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-channels-seed-"));
  const env = parseEnv(coreEnvSchema, { PARLEY_SECRET_KEY: options.secretKey, PARLEY_DATA_DIR: dataDir });
  const core = await createCoreDeps(env, { db, allowLoopbackHttp: true });
  try {
    const deps = core.deps;
    const owner = await createUser(deps, { email: `channels-${Date.now()}@example.com`, name: "Bench" });
    const tenant = await createTenant(deps, { name: "Channels bench", ownerUserId: owner.id });
    const ctx: ServiceContext = {
      deps,
      tenantId: tenant.id,
      actor: { type: "user", userId: owner.id, role: "owner", label: "bench" },
    };
    const bot = await createBot(ctx, { name: "Echo" });
    const flow = await createFlow(ctx, { botId: bot.id, document: echoFlow });
    await publishFlow(ctx, flow.id, {});
    const channel = await createChannel(ctx, bot.id, {
      type: "telegram",
      credentials: { botToken: options.botToken },
      settings: { apiUrl: options.apiUrl },
    });
    return { channelId: channel.id };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
