/**
 * Conversation list and search benchmark: `npm run bench:conversations -w @parley/bench` prints ONE
 * JSON object.
 *
 * A fresh database gets one tenant with the pizza bot (bench/runtime's seed), grown to
 * BENCH_MESSAGES stored messages (conversations of 10 messages each), set-based on the server:
 * INSERT ... SELECT over generate_series, BENCH_CHUNK messages per statement (default 250,000, so
 * 1,000,000 messages are 4 statements per table; nothing goes row by row through the client). Each
 * user message says "I want order <n> with <topping>" (one of 20 toppings, so a topping word is in 1
 * of 20 conversations; "order" is in all; "ref<n>" in exactly one); the oldest tenth also say
 * "vintage" (a word frequent, but only in old conversations: the newest pages hold none of it). Then core's listConversations (what REST and the studio call) runs
 * BENCH_RUNS times per case and p50/p95 in ms are printed: the first page, a deep page, a state
 * filter, a rare-word search, a 1-in-20 word search, a word in every conversation, and its second page.
 * Statistics are NOT refreshed after seeding (autovacuum is off on these machines): plans must not
 * depend on them.
 *
 * BENCH_MESSAGES (default 100000; the issue's figure: BENCH_MESSAGES=1000000, a few minutes of
 * seeding on a 2-core machine), BENCH_BACKENDS (postgres; `embedded` works, slower to seed),
 * BENCH_RUNS (30), BENCH_POSTGRES_URL, BENCH_REDIS_URL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type CoreDeps, listConversations, type ServiceContext } from "@parley/core";
import { createInfrastructure } from "@parley/infra";
import { type Backend, embeddedBackend, postgresRedisBackend } from "../runtime/backends";
import { seed } from "../runtime/seed";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "postgres").split(",");
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const PER_CONVERSATION = 10;
const CHUNK = Math.max(PER_CONVERSATION, Number(process.env.BENCH_CHUNK ?? 250_000));
const TOPPINGS = [
  "anchovies",
  "artichoke",
  "basil",
  "broccoli",
  "capers",
  "chicken",
  "chorizo",
  "garlic",
  "ham",
  "jalapeno",
  "mozzarella",
  "mushrooms",
  "olives",
  "onions",
  "oregano",
  "pepperoni",
  "pineapple",
  "rocket",
  "salami",
  "spinach",
];

const round = (value: number) => Math.round(value * 100) / 100;

/** Adds conversations with PER_CONVERSATION messages each until MESSAGES; ids sort by age like UUIDv7. */
async function grow(backend: Backend, tenantId: string, botId: string): Promise<number> {
  const db = backend.db.system;
  const [version] = await db.$queryRawUnsafe<{ id: string; flow_id: string }[]>(
    "SELECT id, flow_id FROM flow_versions WHERE tenant_id = $1 AND bot_id = $2 LIMIT 1",
    tenantId,
    botId,
  );
  const started = performance.now();
  const total = Math.ceil(MESSAGES / PER_CONVERSATION);
  const toppings = `ARRAY[${TOPPINGS.map((t) => `'${t}'`).join(",")}]`;
  const oldest = Math.floor(total / 10);
  for (let from = 1; from <= total; from += CHUNK / PER_CONVERSATION) {
    const to = Math.min(total, from + CHUNK / PER_CONVERSATION - 1);
    await db.$executeRawUnsafe(
      `INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, status,
         last_seq, turn_count, variables, started_at, last_activity_at, updated_at)
       SELECT '00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'), $1, $2, $3, $4,
         (CASE WHEN n % 2 = 0 THEN 'web' ELSE 'api' END)::channel,
         (CASE WHEN n % 5 = 0 THEN 'waiting' ELSE 'ended' END)::conversation_status, ${PER_CONVERSATION}, 5,
         jsonb_build_object('customerName', 'User ' || n, 'size', 'large'),
         now() - make_interval(secs => $6::int - n), now() - make_interval(secs => $6::int - n), now()
       FROM generate_series($5::int, $7::int) n`,
      tenantId,
      botId,
      version!.flow_id,
      version!.id,
      from,
      total,
      to,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text, created_at)
       SELECT gen_random_uuid()::text, $1, '00000000-0000-7000-8000-' || lpad(to_hex(c), 12, '0'), s,
         (CASE WHEN s % 2 = 0 THEN 'user' ELSE 'bot' END)::message_author,
         jsonb_build_object('type', 'text', 'text', t.text), t.text, now()
       FROM generate_series($2::int, $3::int) c, generate_series(1, ${PER_CONVERSATION}) s,
         LATERAL (SELECT CASE WHEN s % 2 = 0
           THEN 'I want order ' || c || ' with ' || (${toppings})[1 + c % 20] || ' ref' || c
             || CASE WHEN c <= ${oldest} THEN ' vintage' ELSE '' END
           ELSE 'What size would you like?' END AS text) t`,
      tenantId,
      from,
      to,
    );
  }
  return Math.round(performance.now() - started);
}

async function measure(fn: () => Promise<unknown>) {
  await fn();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
  return { p50: at(0.5), p95: at(0.95), max: round(times.at(-1)!) };
}

async function benchBackend(backend: Backend) {
  const seeded = await seed(backend.db);
  const seedMs = await grow(backend, seeded.tenantId, seeded.botId);
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-conversations-"));
  const infra = await createInfrastructure({ dataDir, withQueue: false });
  try {
    const deps = { db: backend.db, infra } as CoreDeps;
    const ctx: ServiceContext = {
      deps,
      tenantId: seeded.tenantId,
      actor: { type: "system", label: "bench" },
    };
    const list = (query: Parameters<typeof listConversations>[2]) => () =>
      listConversations(ctx, seeded.botId, query);
    const conversations = Math.ceil(MESSAGES / PER_CONVERSATION);
    const middle = `00000000-0000-7000-8000-${Math.floor(conversations / 2)
      .toString(16)
      .padStart(12, "0")}`;
    const rare = Math.max(1, Math.floor(conversations / 3));
    const second = await listConversations(ctx, seeded.botId, { q: "order", limit: 20 });
    const found = await listConversations(ctx, seeded.botId, { q: `ref${rare}` });
    return {
      backend: backend.name,
      messages: conversations * PER_CONVERSATION,
      conversations,
      seedMs,
      rareWordFound: found.items.length === 1,
      listFirstPage: await measure(list({ limit: 20 })),
      listDeepPage: await measure(list({ limit: 20, cursor: middle })),
      listStateActive: await measure(list({ limit: 20, state: "active" })),
      searchRareWord: await measure(list({ q: `ref${rare}` })),
      searchOneIn20: await measure(list({ q: "pineapple" })),
      searchEveryConversation: await measure(list({ q: "order" })),
      searchEveryConversationPage2: await measure(
        list({ q: "order", cursor: second.nextCursor ?? undefined }),
      ),
      searchTwoWords: await measure(list({ q: "pineapple order" })),
      oldWordFound: (await listConversations(ctx, seeded.botId, { q: "vintage" })).items.length === 20,
      searchOldConversationsWord: await measure(list({ q: "vintage" })),
    };
  } finally {
    await infra.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadavgAtStart = loadavg();
const results: unknown[] = [];
for (const name of BACKENDS) {
  const backend =
    name === "embedded" ? await embeddedBackend() : await postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL);
  if ("skipped" in backend) {
    results.push({ backend: name, skipped: backend.skipped });
    continue;
  }
  try {
    results.push(await benchBackend(backend));
  } finally {
    await backend.close();
  }
}
console.log(
  JSON.stringify(
    { bench: "conversations", runs: RUNS, loadavgAtStart, loadavg: loadavg(), results },
    null,
    2,
  ),
);
