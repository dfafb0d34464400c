import {
  analyticsRangeQuerySchema,
  costsQuerySchema,
  nodeAnalyticsQuerySchema,
  timeseriesQuerySchema,
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
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const range = analyticsRangeQuerySchema.omit({ format: true });

/**
 * Analytics of the active workspace (REST twins: /api/v1/bots/{botId}/analytics/*,
 * /api/v1/flows/{flowId}/analytics/nodes, /api/v1/analytics/summary, /api/v1/analytics/costs).
 */
export const analyticsRouter = router({
  botSummary: tenantProcedure("analytics:read")
    .input(range.extend({ botId: idSchema }))
    .query(({ ctx, input: { botId, ...query } }) =>
      getBotAnalyticsSummary(serviceContext(ctx), botId, query),
    ),
  timeseries: tenantProcedure("analytics:read")
    .input(timeseriesQuerySchema.omit({ format: true }).extend({ botId: idSchema }))
    .query(({ ctx, input: { botId, ...query } }) => getBotTimeseries(serviceContext(ctx), botId, query)),
  nodes: tenantProcedure("analytics:read")
    .input(nodeAnalyticsQuerySchema.extend({ flowId: idSchema }))
    .query(({ ctx, input: { flowId, ...query } }) =>
      getFlowNodeAnalytics(serviceContext(ctx), flowId, query),
    ),
  workspaceSummary: tenantProcedure("analytics:read")
    .input(range)
    .query(({ ctx, input }) => getWorkspaceAnalyticsSummary(serviceContext(ctx), input)),
  costs: tenantProcedure("analytics:read")
    .input(costsQuerySchema)
    .query(({ ctx, input }) => getLlmCosts(serviceContext(ctx), input)),
  /** The CSV exports of the Analytics pages (the REST routes answer the same with `format=csv`). */
  exportCsv: tenantProcedure("analytics:read")
    .input(
      z.discriminatedUnion("kind", [
        range.extend({ kind: z.literal("botSummary"), botId: idSchema }),
        range.extend({ kind: z.literal("workspaceSummary") }),
        timeseriesQuerySchema
          .omit({ format: true })
          .extend({ kind: z.literal("timeseries"), botId: idSchema }),
      ]),
    )
    .query(async ({ ctx, input }) => {
      const service = serviceContext(ctx);
      if (input.kind === "botSummary") {
        const { kind: _, botId, ...query } = input;
        return { csv: summaryToCsv(await getBotAnalyticsSummary(service, botId, query)) };
      }
      if (input.kind === "workspaceSummary") {
        const { kind: _, ...query } = input;
        return { csv: summaryToCsv(await getWorkspaceAnalyticsSummary(service, query)) };
      }
      const { kind: _, botId, ...query } = input;
      return { csv: timeseriesToCsv(await getBotTimeseries(service, botId, query)) };
    }),
});
