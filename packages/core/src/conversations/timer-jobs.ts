import type { PersistedSnapshot } from "@parley/engine";

/** Queue that fires wait-node timers. */
export const TIMER_QUEUE = "timers";

/** Job id of a conversation's timer: scheduling the same timer twice is one job (internal). */
export const timerJobId = (conversationId: string, timerId: string) =>
  `timer:${conversationId}:${timerId.replace(/[^A-Za-z0-9_.:@-]/g, "_")}`;

/** The timer a persisted snapshot waits on, if any (internal). */
export const pendingTimerOf = (snapshot: unknown): string | undefined =>
  ((snapshot as PersistedSnapshot | null)?.context?.rt as { timer?: { id?: string } } | undefined)?.timer?.id;
