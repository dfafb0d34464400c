/**
 * Seeds the slow-model benchmark through the core services: a tenant, one `openai_compatible`
 * provider at the local model server, and per model delay a route (`delay-<ms>`, model
 * `delay-<ms>`) and a bot whose flow asks a question and answers it with one llm node on that route.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreEnvSchema, parseEnv } from "@parley/config";
import {
  createApiKey,
  createBot,
  createFlow,
  createTenant,
  createUser,
  publishFlow,
  type ServiceContext,
} from "@parley/core";
import { createCoreDeps } from "@parley/core/composition";
import type { Database } from "@parley/db";

const node = (id: string, kind: string, data: Record<string, unknown>, y: number) => ({
  id,
  kind,
  position: { x: 0, y },
  label: id,
  data,
});
const edge = (source: string, handle: string, target: string) => ({
  id: `${source}:${handle}:${target}`,
  source,
  sourceHandle: handle,
  target,
});

/** Ask, answer with one llm node (no streaming), ask again: every user message is one model call. */
export function oneLlmNodeFlow(route: string): Record<string, unknown> {
  return {
    version: 1,
    id: "one-llm-node",
    name: "One llm node",
    variables: [{ name: "question", type: "string", scope: "conversation" }],
    settings: { language: "en" },
    nodes: [
      node("start", "start", {}, 0),
      node("ask", "ask", { prompt: "Ask me about pizza", input: { type: "text" }, saveTo: "question" }, 100),
      node(
        "ai",
        "llm",
        {
          prompt: "{{ question }}",
          systemPrompt: "You are the pizzeria's assistant.",
          modelRoute: route,
          mode: { type: "reply", stream: false },
          timeoutMs: 30_000,
        },
        200,
      ),
      node("done", "end", { outcome: "completed" }, 300),
    ],
    edges: [
      edge("start", "next", "ask"),
      edge("ask", "next", "ai"),
      edge("ask", "error", "done"),
      edge("ai", "next", "ask"),
      edge("ai", "error", "done"),
    ],
  };
}

/** The bots of one seeded tenant, by model delay in ms, and the key to talk to them. */
export interface SlowModelSeed {
  key: string;
  botByDelayMs: Map<number, string>;
}

/** Seeds one tenant; `secretKey` must be the runtime's `PARLEY_SECRET_KEY` (it decrypts the provider key). */
export async function seedSlowModel(
  db: Database,
  options: { modelBaseUrl: string; delaysMs: readonly number[]; secretKey: string },
): Promise<SlowModelSeed> {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-slow-seed-"));
  const env = parseEnv(coreEnvSchema, { PARLEY_SECRET_KEY: options.secretKey, PARLEY_DATA_DIR: dataDir });
  const core = await createCoreDeps(env, { db, allowLoopbackHttp: true });
  try {
    const deps = core.deps;
    const owner = await createUser(deps, { email: `slow-${Date.now()}@example.com`, name: "Bench" });
    const tenant = await createTenant(deps, { name: "Slow model bench", ownerUserId: owner.id });
    const ctx: ServiceContext = {
      deps,
      tenantId: tenant.id,
      actor: { type: "user", userId: owner.id, role: "owner", label: "bench" },
    };
    const admin = core.models.admin();
    await admin.saveProvider(tenant.id, {
      name: "local",
      kind: "openai_compatible",
      baseUrl: options.modelBaseUrl,
      apiKey: "sk-bench-0123456789",
    });
    const botByDelayMs = new Map<number, string>();
    for (const delayMs of options.delaysMs) {
      const route = `delay-${delayMs}`;
      await admin.saveRoute(tenant.id, {
        name: route,
        policy: { targets: [{ provider: "local", model: route }], retry: { attempts: 1 }, timeoutMs: 30_000 },
      });
      const bot = await createBot(ctx, { name: `Model ${delayMs} ms` });
      const flow = await createFlow(ctx, { botId: bot.id, document: oneLlmNodeFlow(route) });
      await publishFlow(ctx, flow.id, {});
      botByDelayMs.set(delayMs, bot.id);
    }
    const { key } = await createApiKey(ctx, { name: "bench", scopes: ["*"] });
    return { key, botByDelayMs };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
