import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@parley/db/testing";
import pino from "pino";
import { loadRuntimeEnv } from "../../../apps/runtime/src/env";
import { startRuntime } from "../../../apps/runtime/src/runtime";
import { seedBot } from "../../../apps/runtime/src/test-support/runtime-harness";

const kind = (process.argv[2] ?? "postgres") as "postgres" | "embedded";
const testDb = await createTestDatabase({ kind });
const env = loadRuntimeEnv({
  DATABASE_URL: testDb.url,
  PARLEY_DATA_DIR: mkdtempSync(join(tmpdir(), "probe-")),
  RUNTIME_PORT: "0",
  LOG_LEVEL: "silent",
  ...(kind === "postgres" ? { REDIS_URL: "redis://127.0.0.1:6379", PARLEY_REDIS_PREFIX: "probe:" } : {}),
});
const runtime = await startRuntime(env, pino({ level: "silent" }));
const pizza = JSON.parse(
  readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
);
const seed = await seedBot(runtime, pizza);
const post = async (path: string, body: unknown) => {
  const t0 = performance.now();
  const r = await fetch(`${runtime.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${seed.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  return { ms: performance.now() - t0, j };
};
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const s = await post(`/api/v1/bots/${seed.bot.id}/conversations`, {});
  const a = await post(`/api/v1/conversations/${s.j.conversationId}/messages`, { text: "Ann" });
  const b = await post(`/api/v1/conversations/${s.j.conversationId}/messages`, { choice: "large" });
  times.push(s.ms, a.ms, b.ms);
}
console.log(kind, times.map((t) => Math.round(t)).join(" "));
await runtime.close();
await testDb.cleanup();
process.exit(0);
