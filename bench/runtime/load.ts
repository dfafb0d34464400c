/**
 * Load generation for the runtime benchmark: virtual users that talk the pizza flow over HTTP
 * (node:http with keep-alive, cheaper than fetch, so the generator takes less of the 2 cores it
 * shares with the server), either closed-loop (no pause: saturation) or with a think time between
 * turns (people reading and typing: the latency a user sees at a given load).
 */
import { Agent, request } from "node:http";

/** Latency percentiles and counts of one load run. */
export interface LoadResult {
  /** Turns completed per second in the measured window. */
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  turns: number;
  errors: number;
  errorSamples: string[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The p-th percentile of `sorted` (ascending), rounded to 0.01. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

/** What the runtime answers to a turn (only the fields the load loop reads). */
interface TurnReply {
  conversationId?: string;
  status?: string;
}

/** An HTTP JSON client over one keep-alive agent. */
export class JsonClient {
  readonly #agent: Agent;
  readonly #base: URL;
  readonly #key: string | undefined;

  constructor(baseUrl: string, key: string | undefined, maxSockets: number) {
    this.#base = new URL(baseUrl);
    this.#key = key;
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs `body` as JSON; rejects on a non-2xx status. */
  post(path: string, body: unknown): Promise<TurnReply> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.#agent,
          host: this.#base.hostname,
          port: this.#base.port,
          method: "POST",
          path,
          headers: {
            "content-type": "application/json",
            "content-length": payload.length,
            ...(this.#key ? { authorization: `Bearer ${this.#key}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            if ((response.statusCode ?? 500) >= 300) {
              reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`));
              return;
            }
            try {
              resolve(JSON.parse(text) as TurnReply);
            } catch (error) {
              reject(error);
            }
          });
          response.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** One virtual user's scripted conversation; `turn` times one request. */
export type Script = (
  user: number,
  turn: (path: string, body: unknown) => Promise<TurnReply>,
) => Promise<void>;

/** The pizza flow: start, name, size, phone (4 turns), ending the order. */
export function pizzaScript(botId: string): Script {
  return async (user, turn) => {
    const started = await turn(`/api/v1/bots/${botId}/conversations`, { user: { id: `u${user}` } });
    const path = `/api/v1/conversations/${started.conversationId}/messages`;
    await turn(path, { text: `User ${user}` });
    await turn(path, { choice: user % 2 === 0 ? "large" : "small" });
    const last = await turn(path, { text: "+1 555 123 4567" });
    if (last.status !== "ended") throw new Error(`expected the order to end, got ${last.status}`);
  };
}

/** The bare route: one request per "conversation". */
export const bareScript: Script = async (_user, turn) => {
  await turn("/turn", { text: "hello" });
};

/** How a load run paces its users. */
export interface LoadOptions {
  users: number;
  warmupMs: number;
  durationMs: number;
  /**
   * Pause before each turn, in ms: each pause is drawn uniformly from [0.5, 1.5] x this mean so
   * users do not move in lock-step. 0 = closed loop (saturation).
   */
  thinkMs: number;
}

/** Result of a paced run: latency plus what was offered and the CPU the server side used. */
export interface PacedResult extends LoadResult {
  /** Turns started per second in the measured window (the offered load). */
  offeredTurnsPerSecond: number;
  /** Turns that completed inside the measured window (divides the window's CPU time). */
  completedInWindow: number;
}

/**
 * Runs `users` virtual users through `script` for warm-up + duration; only turns that start after
 * the warm-up count. Calls `onMeasureStart`/`onMeasureEnd` at the window's edges (CPU readings).
 */
export async function runLoad(
  client: JsonClient,
  script: Script,
  options: LoadOptions,
  hooks: { onMeasureStart?: () => void; onMeasureEnd?: () => void } = {},
): Promise<PacedResult> {
  const latencies: number[] = [];
  let errors = 0;
  let offered = 0;
  let completedInWindow = 0;
  const errorSamples = new Set<string>();
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  const think = () =>
    options.thinkMs > 0
      ? new Promise((resolve) => setTimeout(resolve, options.thinkMs * (0.5 + Math.random())))
      : Promise.resolve();
  const startTimer = setTimeout(() => hooks.onMeasureStart?.(), options.warmupMs);
  const endTimer = setTimeout(() => hooks.onMeasureEnd?.(), options.warmupMs + options.durationMs);
  const timed = async (path: string, body: unknown) => {
    await think();
    if (performance.now() >= end) throw new StopSignal();
    const began = performance.now();
    const counted = began >= measureFrom;
    if (counted) offered += 1;
    const reply = await client.post(path, body);
    const finished = performance.now();
    if (counted) latencies.push(finished - began);
    if (finished >= measureFrom && finished < end) completedInWindow += 1;
    return reply;
  };
  const users = Array.from({ length: options.users }, async (_, user) => {
    // Spread the first turns over one think time instead of starting everyone at once.
    if (options.thinkMs > 0)
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.thinkMs));
    while (performance.now() < end) {
      try {
        await script(user, timed);
      } catch (error) {
        if (error instanceof StopSignal) break;
        if (performance.now() >= measureFrom) errors += 1;
        if (errorSamples.size < 3) errorSamples.add(String((error as Error).message).slice(0, 200));
      }
    }
  });
  await Promise.all(users);
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  latencies.sort((a, b) => a - b);
  const seconds = options.durationMs / 1000;
  return {
    offeredTurnsPerSecond: round(offered / seconds),
    turnsPerSecond: round(latencies.length / seconds),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    turns: latencies.length,
    completedInWindow,
    errors,
    errorSamples: [...errorSamples],
  };
}

/** Thrown inside a script when the run is over, to stop the user between turns. */
class StopSignal extends Error {}
