import type { TurnObserver } from "@parley/core";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { createProductMetrics } from "./product-metrics";

/** Sources the metrics read when scraped. */
export interface MetricSources {
  /** Jobs waiting or delayed per queue. */
  queueDepth?: () => Promise<Record<string, number>>;
  /** Conversations waiting or handed off that saw activity recently. */
  activeConversations?: () => Promise<number>;
  /** The event stream's lag per consumer group (outbox relay). */
  outboxLag?: () => Promise<readonly { groupId: string; events: number; oldestSeconds: number }[]>;
}

/** The runtime's Prometheus registry and the turn observer that feeds it. */
export interface RuntimeMetrics {
  readonly registry: Registry;
  readonly observer: TurnObserver;
  /** Counts HTTP responses (route template, method, status). */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
}

/** Creates the metrics: turns, turn latency, active conversations, queue depth, effect errors, HTTP. */
export function createRuntimeMetrics(sources: MetricSources = {}): RuntimeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "parley_" });
  const turns = new Counter({
    name: "parley_turns_total",
    help: "Turns completed, by channel and resulting conversation status",
    labelNames: ["channel", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "parley_turn_duration_seconds",
    help: "Engine time of one turn (the effects included), by channel",
    labelNames: ["channel"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const effectErrors = new Counter({
    name: "parley_effect_errors_total",
    help: "Flow effects (llm, http, nlu, knowledge, expression) that failed or timed out",
    labelNames: ["kind", "outcome"],
    registers: [registry],
  });
  const conversationsStarted = new Counter({
    name: "parley_conversations_started_total",
    help: "Conversations started, by channel",
    labelNames: ["channel"],
    registers: [registry],
  });
  const conversationsEnded = new Counter({
    name: "parley_conversations_ended_total",
    help: "Conversations ended, by channel",
    labelNames: ["channel"],
    registers: [registry],
  });
  const requests = new Histogram({
    name: "parley_http_request_duration_seconds",
    help: "HTTP requests by route, method and status",
    labelNames: ["route", "method", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: "parley_active_conversations",
    help: "Conversations waiting or handed off with activity in the last 30 minutes",
    registers: [registry],
    async collect() {
      if (sources.activeConversations) this.set(await sources.activeConversations().catch(() => Number.NaN));
    },
  });
  // One query per scrape feeds both outbox gauges (the second reads what the first fetched).
  let lagRead: Promise<readonly { groupId: string; events: number; oldestSeconds: number }[]> | undefined;
  const readLag = () => {
    lagRead ??= (sources.outboxLag?.() ?? Promise.resolve([]))
      .catch(() => [])
      .finally(() => {
        setImmediate(() => {
          lagRead = undefined;
        });
      });
    return lagRead;
  };
  new Gauge({
    name: "parley_outbox_lag_events",
    help: "Events in the outbox not consumed yet, per consumer group ((unsequenced): not yet seen by the relay)",
    labelNames: ["group"],
    registers: [registry],
    async collect() {
      if (!sources.outboxLag) return;
      for (const lag of await readLag()) this.set({ group: lag.groupId }, lag.events);
    },
  });
  new Gauge({
    name: "parley_outbox_oldest_unpublished_seconds",
    help: "Age of the oldest event a consumer group has not consumed yet (0 when none)",
    labelNames: ["group"],
    registers: [registry],
    async collect() {
      if (!sources.outboxLag) return;
      for (const lag of await readLag()) this.set({ group: lag.groupId }, lag.oldestSeconds);
    },
  });
  new Gauge({
    name: "parley_queue_depth",
    help: "Jobs waiting or delayed, per queue",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      if (!sources.queueDepth) return;
      const depths = await sources.queueDepth().catch(() => ({}) as Record<string, number>);
      for (const [queue, depth] of Object.entries(depths)) this.set({ queue }, depth);
    },
  });
  const product = createProductMetrics(registry);
  return {
    registry,
    observer: {
      handoffRequested: product.handoffRequested,
      llmCallRecorded: product.llmCallRecorded,
      turnCompleted: ({ tenantId, latencyMs, status, channel }) => {
        product.turn(tenantId);
        turns.inc({ channel, status });
        latency.observe({ channel }, latencyMs / 1000);
      },
      effectFailed: ({ kind, outcome }) => effectErrors.inc({ kind, outcome }),
      conversationStarted: ({ channel }) => conversationsStarted.inc({ channel }),
      conversationEnded: ({ channel }) => conversationsEnded.inc({ channel }),
    },
    observeRequest: (route, method, status, seconds) =>
      requests.observe({ route, method, status: String(status) }, seconds),
  };
}

/** The runtime's Prometheus registry with process metrics only (kept for callers of the skeleton). */
export function createMetricsRegistry(): Registry {
  return createRuntimeMetrics().registry;
}
