import { z } from "zod";

/**
 * Wire schemas of the analytics API: bot and workspace summaries, per-node drop-off of a flow, time
 * series and LLM cost breakdowns. Every figure counts the conversations STARTED in `[from, to)` (the
 * cohort), except time series and costs, which count events by when they happened.
 */

const isoDate = z.iso.datetime({
  offset: true,
  error: "must be an ISO date-time, e.g. 2026-12-01T00:00:00Z",
});

/** `?from=&to=`: an ISO date-time range; `to` defaults to now, `from` to 7 days before `to`. */
export const analyticsRangeQuerySchema = z
  .object({
    from: isoDate
      .optional()
      .describe("Start of the range (inclusive), ISO date-time; default: 7 days before `to`"),
    to: isoDate.optional().describe("End of the range (exclusive), ISO date-time; default: now"),
    format: z.enum(["json", "csv"]).optional().describe("`csv` answers text/csv instead of JSON"),
  })
  .strict();
/** A date range query. */
export type AnalyticsRangeQuery = z.infer<typeof analyticsRangeQuerySchema>;

/** Counts of one group (a channel, a flow version, a variant). */
export const analyticsBreakdownRowSchema = z.object({
  key: z
    .string()
    .describe("The channel, flow version id or variant key (`none` when the conversation had none)"),
  label: z.string().optional().describe("A readable name (e.g. `v3` for a flow version)"),
  conversations: z.number().int(),
  completed: z.number().int(),
  handoffs: z.number().int(),
  completionRate: z.number(),
  containmentRate: z.number(),
  handoffRate: z.number(),
});
/** Counts of one group. */
export type AnalyticsBreakdownRow = z.infer<typeof analyticsBreakdownRowSchema>;

/** `GET /api/v1/bots/{botId}/analytics/summary` and `GET /api/v1/analytics/summary`. */
export const analyticsSummarySchema = z.object({
  from: z.string(),
  to: z.string(),
  conversations: z.number().int().describe("Conversations started in the range"),
  completed: z.number().int().describe("... that reached an end node"),
  contained: z.number().int().describe("... that ended without a human (no handoff)"),
  handoffs: z.number().int().describe("... that were handed to a human"),
  active: z.number().int().describe("... still open (waiting for the visitor or with an agent)"),
  abandoned: z.number().int().describe("... open but without activity for the abandonment timeout"),
  messages: z.number().int().describe("Messages of those conversations (visitor, bot and agents)"),
  turns: z.number().int(),
  avgTurns: z.number(),
  completionRate: z.number().describe("completed / conversations (0 when none)"),
  containmentRate: z.number().describe("contained / conversations"),
  handoffRate: z.number().describe("handoffs / conversations"),
  csatAverage: z.number().nullable().describe("Mean CSAT score (1-5) of the rated conversations"),
  csatResponses: z.number().int(),
  llmCost: z.number().describe("USD spent on model calls in the range"),
  avgDurationSeconds: z.number().nullable().describe("Mean start-to-end time of the ended conversations"),
  byChannel: z.array(analyticsBreakdownRowSchema),
  byFlowVersion: z.array(analyticsBreakdownRowSchema),
  byVariant: z.array(analyticsBreakdownRowSchema),
});
/** A bot or workspace summary. */
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

/** A summary row per bot of the workspace overview. */
export const workspaceAnalyticsSummarySchema = analyticsSummarySchema.extend({
  byBot: z.array(analyticsBreakdownRowSchema),
});
/** The workspace overview. */
export type WorkspaceAnalyticsSummary = z.infer<typeof workspaceAnalyticsSummarySchema>;

/** `?from=&to=&version=` of the node analytics. */
export const nodeAnalyticsQuerySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    version: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("A version number (`3`) or flow version id; default: the latest published version"),
  })
  .strict();
/** The node analytics query. */
export type NodeAnalyticsQuery = z.infer<typeof nodeAnalyticsQuerySchema>;

/** How the conversations that entered a node left it. */
export const nodeAnalyticsRowSchema = z.object({
  nodeId: z.string(),
  entered: z.number().int().describe("Visits of the node (a retry of an ask node is the same visit)"),
  exits: z
    .record(z.string(), z.number().int())
    .describe("Visits that left by each handle (`end`: the conversation ended there, `handoff`: to a human)"),
  waiting: z.number().int().describe("Conversations resting at the node now, active within the timeout"),
  dropped: z.number().int().describe("Conversations resting at the node with no activity for the timeout"),
});
/** A node's figures; entered = sum(exits) + waiting + dropped. */
export type NodeAnalyticsRow = z.infer<typeof nodeAnalyticsRowSchema>;

/** Per-edge share of the visits of its source node. */
export const edgeAnalyticsRowSchema = z.object({
  edgeId: z.string(),
  source: z.string(),
  sourceHandle: z.string(),
  target: z.string(),
  count: z.number().int(),
  share: z.number().describe("count / entered of the source node (0 when nobody entered it)"),
});

/** `GET /api/v1/flows/{flowId}/analytics/nodes`. */
export const nodeAnalyticsSchema = z.object({
  flowId: z.string(),
  flowVersionId: z.string().nullable(),
  version: z.number().int().nullable(),
  from: z.string(),
  to: z.string(),
  abandonmentTimeoutMinutes: z.number(),
  conversations: z.number().int(),
  nodes: z.array(nodeAnalyticsRowSchema),
  edges: z.array(edgeAnalyticsRowSchema),
});
/** Node analytics of a flow version. */
export type NodeAnalytics = z.infer<typeof nodeAnalyticsSchema>;

/** Metrics a time series can chart. */
export const analyticsMetricSchema = z.enum([
  "conversations",
  "ended",
  "completed",
  "handoffs",
  "turns",
  "messages",
  "llmCalls",
  "llmCost",
  "llmTokens",
]);
/** A time series metric. */
export type AnalyticsMetric = z.infer<typeof analyticsMetricSchema>;

/** `?metric=&interval=&from=&to=`. */
export const timeseriesQuerySchema = z
  .object({
    metric: analyticsMetricSchema.default("conversations"),
    interval: z.enum(["minute", "hour", "day"]).default("hour"),
    from: isoDate.optional(),
    to: isoDate.optional(),
    format: z.enum(["json", "csv"]).optional(),
  })
  .strict();
/** A time series query. */
export type TimeseriesQuery = z.input<typeof timeseriesQuerySchema>;

/** `GET /api/v1/bots/{botId}/analytics/timeseries`: one point per bucket with events (empty buckets omitted). */
export const timeseriesSchema = z.object({
  metric: analyticsMetricSchema,
  interval: z.enum(["minute", "hour", "day"]),
  from: z.string(),
  to: z.string(),
  total: z.number(),
  points: z.array(z.object({ t: z.string().describe("Bucket start, ISO date-time"), value: z.number() })),
});
/** A time series. */
export type Timeseries = z.infer<typeof timeseriesSchema>;

/** `?groupBy=&from=&to=&botId=` of the costs breakdown. */
export const costsQuerySchema = z
  .object({
    groupBy: z.enum(["provider", "model", "route", "bot"]).default("provider"),
    from: isoDate.optional(),
    to: isoDate.optional(),
    botId: z.string().min(1).max(100).optional().describe("Only this bot's calls"),
  })
  .strict();
/** A costs query. */
export type CostsQuery = z.input<typeof costsQuerySchema>;

/** One group of LLM calls. */
export const costRowSchema = z.object({
  key: z.string().describe("Provider, model, route or bot id (`none` when the call had none)"),
  calls: z.number().int(),
  spendUsd: z.number(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheHitRate: z.number().describe("Calls answered from the cache / calls"),
  fallbackRate: z.number().describe("Calls answered by a fallback target / calls"),
  failureRate: z.number(),
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
});
/** One group of LLM calls. */
export type CostRow = z.infer<typeof costRowSchema>;

/** `GET /api/v1/analytics/costs`. */
export const costsSchema = z.object({
  groupBy: z.enum(["provider", "model", "route", "bot"]),
  from: z.string(),
  to: z.string(),
  total: costRowSchema,
  rows: z.array(costRowSchema),
  budgets: z.array(
    z.object({
      budgetId: z.string(),
      botId: z.string().nullable(),
      monthlyLimitUsd: z.number(),
      spentUsd: z.number(),
      burn: z.number().describe("spentUsd / monthlyLimitUsd"),
    }),
  ),
});
/** A costs breakdown. */
export type Costs = z.infer<typeof costsSchema>;

/** The bot setting that decides when an open conversation counts as dropped (minutes; default 30). */
export const abandonmentTimeoutMinutesSchema = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 30);
/** Default of the bot setting `abandonmentTimeoutMinutes`. */
export const DEFAULT_ABANDONMENT_TIMEOUT_MINUTES = 30;
