import { type Timeseries, type TimeseriesQuery, timeseriesQuerySchema } from "@parley/contract";
import { authorize, type ServiceContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { loadBot, resolveRange } from "./range";
import { metricSeries } from "./rollup-read";
import { inAnalyticsSnapshot } from "./rollup-state";

/** Most points a series may have; a longer range needs a coarser interval. */
export const MAX_POINTS = 20_000;
const INTERVAL_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * A bot's metric per minute, hour or day over `[from, to)`, by when the events happened (rollups plus
 * the not yet rolled-up tail, so a new event shows within seconds). Old minutes are compacted to hours
 * (after 2 days) and days (after 90), so a fine interval over old data returns the coarser buckets.
 * Needs `analytics:read`.
 * @throws ServiceError `forbidden`, `bot-not-found`, `invalid-input`, `invalid-range`
 */
export async function getBotTimeseries(
  ctx: ServiceContext,
  botId: string,
  query: TimeseriesQuery = {},
): Promise<Timeseries> {
  authorize(ctx, "analytics:read");
  const parsed = parseInput(timeseriesQuerySchema, query, "time series query");
  await loadBot(ctx, botId);
  const range = resolveRange(ctx, parsed);
  if ((range.to.getTime() - range.from.getTime()) / INTERVAL_MS[parsed.interval] > MAX_POINTS) {
    throw new ServiceError(
      "invalid",
      "too-many-points",
      `the range has more than ${MAX_POINTS} ${parsed.interval}s`,
      {
        errors: [
          { path: "interval", message: `use a coarser interval than ${parsed.interval} for this range` },
        ],
      },
    );
  }
  const points = await inAnalyticsSnapshot(ctx, () =>
    metricSeries(ctx, { metric: parsed.metric, range, botId, interval: parsed.interval }),
  );
  return {
    metric: parsed.metric,
    interval: parsed.interval,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: Math.round(points.reduce((sum, point) => sum + point.value, 0) * 1_000_000) / 1_000_000,
    points: points.map((point) => ({
      t: point.t.toISOString(),
      value: Math.round(point.value * 1_000_000) / 1_000_000,
    })),
  };
}
