import { DEFAULT_ABANDONMENT_TIMEOUT_MINUTES } from "@parley/contract";
import { nowOf, type ServiceContext, tenantDb } from "../context";
import { notFound, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";

/** Default length of a range without `from`: 7 days. */
export const DEFAULT_RANGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Longest range a query may ask for: 3 years. */
export const MAX_RANGE_MS = 3 * 366 * 24 * 60 * 60 * 1000;

/** A resolved `[from, to)` range. */
export interface DateRange {
  from: Date;
  to: Date;
}

/**
 * Resolves `?from=&to=` (ISO strings, already validated by the contract): `to` defaults to now and
 * `from` to 7 days before `to`; refuses an empty, inverted or longer than 3 years range.
 */
export function resolveRange(ctx: ServiceContext, query: { from?: string; to?: string }): DateRange {
  const to = query.to ? new Date(query.to) : nowOf(ctx.deps);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
  if (!(from.getTime() < to.getTime())) {
    throw new ServiceError("invalid", "invalid-range", "from must be before to", {
      errors: [{ path: "from", message: `must be before to (${to.toISOString()})` }],
    });
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) {
    throw new ServiceError("invalid", "invalid-range", "the range may span at most 3 years", {
      errors: [{ path: "from", message: "the range may span at most 3 years" }],
    });
  }
  return { from, to };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The whole UTC days of `range` as a range of midnights (`to` excluded), or the empty range `[to, to)` when
 * it holds none. The rest of `range`, `[range.from, days.from)` and `[days.to, range.to)`, is partial days.
 *
 * @example
 * wholeDaysOf({ from: new Date("2026-01-01T12:00Z"), to: new Date("2026-01-04T06:00Z") })
 * // { from: 2026-01-02T00:00Z, to: 2026-01-04T00:00Z }
 */
export function wholeDaysOf(range: DateRange): DateRange {
  const from = new Date(Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS);
  const to = new Date(Math.floor(range.to.getTime() / DAY_MS) * DAY_MS);
  return from < to ? { from, to } : { from: range.to, to: range.to };
}

/** The bot setting `abandonmentTimeoutMinutes` in minutes (default 30). */
export function abandonmentTimeoutOf(settings: unknown): number {
  const value = (settings as Record<string, unknown> | null)?.abandonmentTimeoutMinutes;
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? value
    : DEFAULT_ABANDONMENT_TIMEOUT_MINUTES;
}

/** Loads a bot of the tenant (id and settings) or throws `bot-not-found`. */
export async function loadBot(ctx: ServiceContext, botId: string) {
  const bot = isUuid(botId)
    ? await tenantDb(ctx).bot.findFirst({ where: { id: botId }, select: { id: true, settings: true } })
    : null;
  if (!bot) throw notFound("bot", botId);
  return bot;
}

/** A count, sum or average from raw SQL (bigint, numeric string or null) as a number. */
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** `part / whole`, 0 when whole is 0, rounded to 4 decimals. */
export const rate = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
