/**
 * Channels benchmark: `npm run bench:channels -w @parley/bench` prints ONE JSON object.
 *
 * A local server speaking the Telegram Bot API stands in for Telegram. The bench posts signed
 * (secret-token) updates to the runtime's channel webhook at a fixed rate, spread round-robin over
 * many chats, and times (1) the webhook's acknowledgement and (2) inbound update -> the runtime's
 * `sendMessage` call carrying the reply ("Got <text>") at the fake Bot API, i.e. verification,
 * storage, queue, turn, commit, delivery queue and the outbound call. Every chat is started first
 * (unmeasured: its first message starts the conversation), then the measured window sends answers.
 * Targets (issue 15): end to end p95 < 300 ms at 100 msgs/s over 1,000 chats; acknowledgement p95 < 50 ms.
 *
 * BENCH_RATE (100 msgs/s), BENCH_CHATS (1000), BENCH_DURATION_MS (10000), BENCH_BACKENDS
 * (postgresRedis,embedded), BENCH_REDIS_URL, BENCH_POSTGRES_URL.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { generateKeyringEntry } from "@parley/infra";
import { type Backend, embeddedBackend, postgresRedisBackend, type Skipped } from "../runtime/backends";
import { processCpuMs, startRuntimeProcess, stop } from "../runtime/processes";
import { seedTelegramBot } from "./seed";

const RATE = Number(process.env.BENCH_RATE ?? 100);
const CHATS = Number(process.env.BENCH_CHATS ?? 1000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "postgresRedis,embedded").split(",");
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const BOT_TOKEN = "123456:bench-token";
/** BENCH_CPU_PROFILE_DIR: the runtime writes a V8 .cpuprofile there on exit (profiling, not measuring). */
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
/** Replies not seen this long after the last update count as lost. */
const DRAIN_MS = 15_000;

const round = (value: number) => Math.round(value * 100) / 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentiles(values: number[]) {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return {
    count: sorted.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: round(sorted.at(-1)!),
  };
}

/** The fake Bot API: answers every method, and reports each `sendMessage` text when it arrives. */
async function startFakeTelegram(onText: (chatId: string, text: string, atMs: number) => void) {
  let secretToken = "";
  let messageId = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const atMs = performance.now();
      const method = (request.url ?? "").split("/").at(-1) ?? "";
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>)
        : {};
      if (method === "setWebhook") secretToken = String(body.secret_token);
      if (method === "sendMessage") onText(String(body.chat_id), String(body.text), atMs);
      messageId += 1;
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(
          JSON.stringify({ ok: true, result: method === "sendMessage" ? { message_id: messageId } : true }),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    secretToken: () => secretToken,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let updateId = 0;
const update = (chat: number, text: string) =>
  JSON.stringify({
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: "private" },
      from: { id: chat, is_bot: false, first_name: `User ${chat}` },
      text,
    },
  });

async function benchBackend(open: () => Promise<Backend | Skipped>) {
  const backend = await open();
  if ("skipped" in backend) return backend;
  const sentAt = new Map<string, number>();
  const endToEnd: number[] = [];
  let lastReplyAt = 0;
  const started = new Set<string>();
  const telegram = await startFakeTelegram((chatId, text, atMs) => {
    if (text === "Say something") started.add(chatId);
    const sent = sentAt.get(text.replace(/^Got /, ""));
    if (text.startsWith("Got ") && sent !== undefined) {
      endToEnd.push(atMs - sent);
      lastReplyAt = atMs;
    }
  });
  let runtime: Awaited<ReturnType<typeof startRuntimeProcess>> | undefined;
  try {
    const secretKey = generateKeyringEntry("bench");
    const { channelId } = await seedTelegramBot(backend.db, {
      apiUrl: telegram.url,
      botToken: BOT_TOKEN,
      secretKey,
    });
    runtime = await startRuntimeProcess(
      { ...backend.runtimeEnv, PARLEY_SECRET_KEY: secretKey, RUNTIME_ALLOW_LOOPBACK_HTTP: "true" },
      PROFILE_DIR ? { cpuProfileDir: PROFILE_DIR } : {},
    );
    const webhook = `${runtime.url}/api/v1/channels/${channelId}/webhook`;
    const headers = {
      "content-type": "application/json",
      "x-telegram-bot-api-secret-token": telegram.secretToken(),
    };
    const acks: number[] = [];
    let errors = 0;
    const errorsByStatus: Record<string, number> = {};
    const post = async (body: string, measured: boolean) => {
      const before = performance.now();
      const response = await fetch(webhook, { method: "POST", headers, body }).catch(() => undefined);
      if (response) await response.arrayBuffer();
      if (response?.status !== 200) {
        errors += 1;
        const key = String(response?.status ?? "network");
        errorsByStatus[key] = (errorsByStatus[key] ?? 0) + 1;
      } else if (measured) acks.push(performance.now() - before);
    };
    /** Sends `count` updates at RATE per second, chat i % CHATS each. */
    const paced = async (count: number, text: (i: number) => string, measured: boolean) => {
      const begin = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < count; i += 1) {
        const due = begin + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const body = update(1 + (i % CHATS), text(i));
        if (measured) sentAt.set(text(i), performance.now());
        inFlight.push(post(body, measured));
      }
      await Promise.all(inFlight);
    };
    // CPU of the runtime, the database server side and Redis over the whole run (starts and measured
    // messages), per turn answered (`cpuMsPerTurn`), and over the measured window per answer
    // (`cpuMsPerAnswer`): what 100 msgs/s needs whatever else the machine runs.
    const cpu = async () => {
      const pids = await backend.databasePids();
      return {
        runtime: processCpuMs(runtime?.child.pid),
        database: pids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
        redis: (await backend.redisCpuMs?.()) ?? 0,
      };
    };
    const cpuBefore = await cpu();
    // Start every chat (unmeasured): each first message starts its conversation.
    await paced(CHATS, () => "hello", false);
    const deadline = Date.now() + DRAIN_MS + (CHATS * 1000) / RATE;
    while (started.size < CHATS && Date.now() < deadline) await sleep(100);
    const messages = Math.round((RATE * DURATION_MS) / 1000);
    const cpuStarted = await cpu();
    const sendStart = performance.now();
    await paced(messages, (i) => `m${i}`, true);
    const sendMs = performance.now() - sendStart;
    const drainUntil = Date.now() + DRAIN_MS;
    while (endToEnd.length < messages && Date.now() < drainUntil) await sleep(100);
    const cpuAfter = await cpu();
    const perMessage = (ms: number) => round(ms / Math.max(1, started.size + endToEnd.length));
    const cpuMsPerTurn = {
      runtime: perMessage(cpuAfter.runtime - cpuBefore.runtime),
      database: perMessage(cpuAfter.database - cpuBefore.database),
      ...(backend.redisCpuMs ? { redis: perMessage(cpuAfter.redis - cpuBefore.redis) } : {}),
    };
    // The measured window alone (answers on running conversations: the steady state at 100 msgs/s).
    const perAnswer = (ms: number) => round(ms / Math.max(1, endToEnd.length));
    const cpuMsPerAnswer = {
      runtime: perAnswer(cpuAfter.runtime - cpuStarted.runtime),
      database: perAnswer(cpuAfter.database - cpuStarted.database),
      ...(backend.redisCpuMs ? { redis: perAnswer(cpuAfter.redis - cpuStarted.redis) } : {}),
    };
    const ack = percentiles(acks);
    const e2e = percentiles(endToEnd);
    return {
      chatsStarted: started.size,
      messages,
      achievedSendRatePerSecond: round((messages * 1000) / sendMs),
      repliesPerSecond: endToEnd.length ? round((endToEnd.length * 1000) / (lastReplyAt - sendStart)) : 0,
      webhookErrors: errors,
      webhookErrorsByStatus: errorsByStatus,
      repliesLost: messages - endToEnd.length,
      cpuMsPerTurn,
      cpuMsPerAnswer,
      ack,
      endToEnd: e2e,
      targets: {
        "end to end p95 < 300 ms": { p95Ms: e2e.p95Ms ?? null, met: (e2e.p95Ms ?? Infinity) < 300 },
        "ack p95 < 50 ms": { p95Ms: ack.p95Ms ?? null, met: (ack.p95Ms ?? Infinity) < 50 },
      },
    };
  } finally {
    if (runtime) await stop(runtime.child);
    await telegram.close();
    await backend.close();
  }
}

const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
const results: Record<string, unknown> = {};
if (BACKENDS.includes("postgresRedis")) {
  results.postgresRedis = await benchBackend(() => postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL));
}
if (BACKENDS.includes("embedded")) results.embedded = await benchBackend(() => embeddedBackend());
process.stdout.write(
  `${JSON.stringify({
    benchmark: "channels",
    platform: "telegram (local Bot API server)",
    flow: "echo: every update is one turn and one sendMessage reply",
    ratePerSecond: RATE,
    chats: CHATS,
    durationMs: DURATION_MS,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map(round),
    ...results,
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
