import { PENDING_TIMER_PATH, pendingTimerSchema } from "@parley/engine";
import type { CoreDeps } from "../context";

/** Queue that fires wait-node timers. */
export const TIMER_QUEUE = "timers";

/** Job id of a conversation's timer: scheduling the same timer twice is one job (internal). */
export const timerJobId = (conversationId: string, timerId: string) =>
  `timer:${conversationId}:${timerId.replace(/[^A-Za-z0-9_.:@-]/g, "_")}`;

/**
 * Adds the job that fires a wait node's timer when it is due. Idempotent: the job id names the
 * conversation and the timer, so the commit path and the recovery sweep may both add it (internal).
 */
export async function scheduleTimer(
  deps: CoreDeps,
  job: { tenantId: string; conversationId: string; timerId: string; dueAt: number },
  now: number,
): Promise<void> {
  await deps.infra.queue.add(
    TIMER_QUEUE,
    { tenantId: job.tenantId, conversationId: job.conversationId, timerId: job.timerId },
    {
      jobId: timerJobId(job.conversationId, job.timerId),
      delayMs: Math.max(0, Math.round(job.dueAt - now)),
      attempts: 5,
    },
  );
}

/**
 * Re-adds the timer job of every waiting conversation whose snapshot holds a pending timer, for a
 * crash between a commit and its enqueue; job ids make it a no-op for timers already queued.
 * Returns how many timers it (re)scheduled; at most `limit` per call.
 */
export async function recoverPendingTimers(deps: CoreDeps, limit = 1000): Promise<number> {
  // The snapshot's layout is the engine's: it names the path, core only asks SQL for it.
  const path = PENDING_TIMER_PATH.join(",");
  const rows = await deps.db.system.$queryRaw<{ id: string; tenant_id: string; timer: unknown }[]>`
    SELECT id, tenant_id, snapshot #> string_to_array(${path}, ',') AS timer
    FROM conversations
    WHERE status = 'waiting' AND snapshot #> string_to_array(${path}, ',') IS NOT NULL
    LIMIT ${limit}`;
  const now = deps.clock?.now() ?? Date.now();
  let scheduled = 0;
  for (const row of rows) {
    const timer = pendingTimerSchema.safeParse(row.timer);
    if (!timer.success) continue;
    await scheduleTimer(
      deps,
      { tenantId: row.tenant_id, conversationId: row.id, timerId: timer.data.id, dueAt: timer.data.dueAt },
      now,
    );
    scheduled += 1;
  }
  return scheduled;
}
