import {
  analyticsRangeQuerySchema,
  analyticsSummarySchema,
  botIdParamsSchema,
  costsQuerySchema,
  costsSchema,
  flowIdParamsSchema,
  nodeAnalyticsQuerySchema,
  nodeAnalyticsSchema,
  timeseriesQuerySchema,
  timeseriesSchema,
  workspaceAnalyticsSummarySchema,
} from "@parley/contract";
import {
  getBotAnalyticsSummary,
  getBotTimeseries,
  getFlowNodeAnalytics,
  getLlmCosts,
  getWorkspaceAnalyticsSummary,
  summaryToCsv,
  timeseriesToCsv,
} from "@parley/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/** Whether the caller asked for CSV: `?format=csv`, or an Accept header preferring text/csv. */
function wantsCsv(format: string | undefined, request: FastifyRequest): boolean {
  if (format) return format === "csv";
  const accept = request.headers.accept ?? "";
  return /(^|,)\s*text\/csv\b/i.test(accept) && !/(^|,)\s*application\/json\b/i.test(accept);
}

function sendCsv(reply: FastifyReply, name: string, csv: string): string {
  reply
    .type("text/csv; charset=utf-8")
    .header(
      "content-disposition",
      `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
  return csv;
}

const rangeNote =
  "`from`/`to` are ISO date-times (`to` defaults to now, `from` to 7 days earlier). Figures count the " +
  "conversations started in the range and are fresh within seconds (rollups plus the raw tail).";

/** Analytics: the REST twins of the studio's Analytics tab, workspace overview, costs view and canvas overlay. */
export const analyticsRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/analytics/summary",
    operationId: "getBotAnalyticsSummary",
    summary: "A bot's conversation analytics (volumes, completion, containment, handoffs, CSAT, cost)",
    description:
      `${rangeNote} \`completed\`: reached an end node; \`contained\`: ended without a human. ` +
      "Broken down by channel, flow version and experiment variant. `format=csv` (or `Accept: text/csv`) exports it.",
    tag: "Analytics",
    permission: "analytics:read",
    params: botIdParamsSchema,
    query: analyticsRangeQuerySchema,
    success: { status: 200, description: "The summary", schema: analyticsSummarySchema },
    alternateContent: { "text/csv": "The summary as `section,key,metric,value` rows" },
    errors: [400, 404, 422],
    handler: async ({ params, query, ctx, request, reply }) => {
      const { format, ...range } = query;
      const summary = await getBotAnalyticsSummary(ctx, params.botId, range);
      return wantsCsv(format, request) ? sendCsv(reply, "analytics-summary", summaryToCsv(summary)) : summary;
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/analytics/timeseries",
    operationId: "getBotAnalyticsTimeseries",
    summary: "A bot's metric per minute, hour or day",
    description:
      "Counts events by when they happened. Minute rows older than 2 days are kept per hour, hour rows older " +
      "than 90 days per day. `format=csv` (or `Accept: text/csv`) exports it.",
    tag: "Analytics",
    permission: "analytics:read",
    params: botIdParamsSchema,
    query: timeseriesQuerySchema,
    success: { status: 200, description: "The series", schema: timeseriesSchema },
    alternateContent: { "text/csv": "`t,<metric>` per bucket" },
    errors: [400, 404, 422],
    handler: async ({ params, query, ctx, request, reply }) => {
      const { format, ...rest } = query;
      const series = await getBotTimeseries(ctx, params.botId, rest);
      return wantsCsv(format, request)
        ? sendCsv(reply, `analytics-${series.metric}`, timeseriesToCsv(series))
        : series;
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/flows/{flowId}/analytics/nodes",
    operationId: "getFlowNodeAnalytics",
    summary: "Drop-off per node of a flow version",
    description:
      `${rangeNote} Per node: visits entered, exits per handle (\`end\`, \`closed\`, \`handoff\` when the ` +
      "conversation ended or went to a human there), conversations waiting there and those dropped (quiet for " +
      "the bot's `abandonmentTimeoutMinutes`, default 30); entered = sum(exits) + waiting + dropped. Per edge " +
      "the share of its source's visits that took it. `version`: a number or id (default: latest published).",
    tag: "Analytics",
    permission: "analytics:read",
    params: flowIdParamsSchema,
    query: nodeAnalyticsQuerySchema,
    success: { status: 200, description: "Per-node and per-edge figures", schema: nodeAnalyticsSchema },
    errors: [400, 404, 422],
    handler: ({ params, query, ctx }) => getFlowNodeAnalytics(ctx, params.flowId, query),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/analytics/summary",
    operationId: "getWorkspaceAnalyticsSummary",
    summary: "The workspace overview: every bot's conversations together, and per bot",
    description: `${rangeNote} \`format=csv\` (or \`Accept: text/csv\`) exports it.`,
    tag: "Analytics",
    permission: "analytics:read",
    query: analyticsRangeQuerySchema,
    success: { status: 200, description: "The overview", schema: workspaceAnalyticsSummarySchema },
    alternateContent: { "text/csv": "The overview as `section,key,metric,value` rows" },
    errors: [400, 422],
    handler: async ({ query, ctx, request, reply }) => {
      const { format, ...range } = query;
      const summary = await getWorkspaceAnalyticsSummary(ctx, range);
      return wantsCsv(format, request)
        ? sendCsv(reply, "analytics-overview", summaryToCsv(summary))
        : summary;
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/analytics/costs",
    operationId: "getLlmCosts",
    summary: "LLM spend, tokens, cache hit rate, fallback rate and latency per provider, model, route or bot",
    description:
      "Model calls made in `[from, to)` (default: the last 7 days), and each budget's burn this month.",
    tag: "Analytics",
    permission: "analytics:read",
    query: costsQuerySchema,
    success: { status: 200, description: "The breakdown", schema: costsSchema },
    errors: [400, 404, 422],
    handler: ({ query, ctx }) => getLlmCosts(ctx, query),
  }),
];
