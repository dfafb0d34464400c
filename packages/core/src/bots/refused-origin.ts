import type { CoreDeps } from "../context";
import { nowOf } from "../context";

/** How long the same refused origin is not written again (the widget retries; one row update is enough). */
const REWRITE_AFTER_MS = 60_000;

/**
 * Remembers that the widget of `botId` was refused on `origin` (not in its allowed origins), so the
 * bot's settings can offer "add this site" where a new embed fails. Writes at most once a minute for
 * the same origin (a refused widget keeps asking); a different origin replaces it at once.
 */
export async function recordRefusedOrigin(deps: CoreDeps, botId: string, origin: string): Promise<void> {
  const now = nowOf(deps);
  await deps.db.system.bot.updateMany({
    where: {
      id: botId,
      archivedAt: null,
      NOT: { allowedOrigins: { has: origin } },
      OR: [
        { lastRefusedOrigin: null },
        { lastRefusedOrigin: { not: origin } },
        { lastRefusedAt: { lt: new Date(now.getTime() - REWRITE_AFTER_MS) } },
      ],
    },
    data: { lastRefusedOrigin: origin, lastRefusedAt: now },
  });
}
