import { mkdtempSync, rmSync } from "node:fs";
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
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import pino from "pino";
import { loadRuntimeEnv } from "../env";
import { type RunningRuntime, startRuntime } from "../runtime";

/** Which backing services a test runtime uses. */
export type Backend = "embedded" | "postgres+redis";

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A runtime on a fresh database, listening on a loopback port (internal to tests). */
export interface TestRuntime {
  runtime: RunningRuntime;
  url: string;
  testDb: TestDatabase;
  dataDir: string;
  env: Record<string, string>;
  /** Starts another runtime on the same database, data directory and Redis prefix (a restart). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Starts a runtime for tests. `extraEnv` overrides variables (rate limits, ...). */
export async function startTestRuntime(
  backend: Backend,
  extraEnv: Record<string, string> = {},
): Promise<TestRuntime> {
  const testDb = await createTestDatabase({ kind: backend === "embedded" ? "embedded" : "postgres" });
  const dataDir = mkdtempSync(join(tmpdir(), "parley-runtime-"));
  const env: Record<string, string> = {
    DATABASE_URL: testDb.url,
    PARLEY_DATA_DIR: dataDir,
    RUNTIME_PORT: "0",
    RUNTIME_HOST: "127.0.0.1",
    RUNTIME_ALLOW_LOOPBACK_HTTP: "true",
    RUNTIME_SHUTDOWN_GRACE_MS: "5000",
    LOG_LEVEL: "silent",
    ...(backend === "postgres+redis"
      ? { REDIS_URL, PARLEY_REDIS_PREFIX: `parley-test-${process.pid}-${Date.now()}:` }
      : {}),
    ...extraEnv,
  };
  const logger = pino({ level: env.LOG_LEVEL ?? "silent" });
  const handle: TestRuntime = {
    runtime: await startRuntime(loadRuntimeEnv(env), logger),
    url: "",
    testDb,
    dataDir,
    env,
    restart: async () => {
      await handle.runtime.close();
      handle.runtime = await startRuntime(loadRuntimeEnv(env), logger);
      handle.url = handle.runtime.url;
    },
    cleanup: async () => {
      await handle.runtime.close();
      if (backend === "postgres+redis") await deleteRedisPrefix(env.PARLEY_REDIS_PREFIX!);
      await testDb.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  handle.url = handle.runtime.url;
  return handle;
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/**
 * A tenant with a bot running `document` (published) and keys (internal to tests), through the core
 * services of a running runtime or of any `deps` (a test that spawns its runtimes as processes).
 */
export async function seedBot(
  { deps }: { deps: CoreDeps },
  document: Record<string, unknown>,
  options: { origins?: string[]; scopes?: string[] } = {},
) {
  const owner = await createUser(deps, {
    email: `o-${Math.random().toString(36).slice(2)}@example.com`,
    name: "Owner",
  });
  const tenant = await createTenant(deps, { name: "Tenant", ownerUserId: owner.id });
  const ctx: ServiceContext = {
    deps,
    tenantId: tenant.id,
    actor: { type: "user", userId: owner.id, role: "owner", label: owner.email },
  };
  const bot = await createBot(ctx, { name: "Bot", allowedOrigins: options.origins ?? ["http://shop.test"] });
  const flow = await createFlow(ctx, { botId: bot.id, document });
  await publishFlow(ctx, flow.id, {});
  const { key, apiKey } = await createApiKey(ctx, {
    name: "all",
    scopes: (options.scopes ?? ["*"]) as ["*"],
  });
  return { ctx, tenant, bot, flow, key, apiKey, owner };
}

/** A decoded JSON body; tests read it dynamically and assert on every field they use. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the tests.
export type JsonBody = any;

/** A small JSON HTTP client for tests. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: JsonBody }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
