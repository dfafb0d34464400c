import { pendingTimerOf } from "@parley/engine";
import { z } from "zod";
import type { CoreDeps, ServiceContext } from "../context";
import { commitStep } from "./commit";
import { turnPlan } from "./commit-plan";
import { runEngine } from "./engine-turn";
import { liveOf } from "./load";
import { assertLockHeld, withConversationLock } from "./lock";
import { loadVersion } from "./versions";

/** Payload of a timer job. */
export const timerJobSchema = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
  timerId: z.string().min(1),
});

/**
 * Job handler of the `timers` queue: fires a wait node's timer if the conversation still waits on
 * exactly that timer (a reply that came first, or a duplicate delivery, makes it a no-op).
 */
export async function fireTimer(deps: CoreDeps, data: unknown): Promise<void> {
  const job = timerJobSchema.parse(data);
  const ctx: ServiceContext = { deps, tenantId: job.tenantId, actor: { type: "system", label: "timer" } };
  await withConversationLock(ctx, job.conversationId, async (lock) => {
    const row = (await deps.db.conversationStore(job.tenantId).load(job.conversationId)).conversation;
    // Gone, no longer waiting, or waiting on another timer (the user answered first): nothing to do.
    if (!row) return;
    if (row.status !== "waiting" || pendingTimerOf(row.snapshot)?.id !== job.timerId) return;
    const conversation = liveOf(row);
    const version = await loadVersion(ctx, conversation.flowVersionId);
    const turn = await runEngine(
      ctx,
      conversation,
      version,
      { type: "timer.fired", timerId: job.timerId },
      { signal: lock.signal },
    );
    // Effects cut short by a lost lease are not the flow's outcome: the job fails and is retried.
    assertLockHeld(lock, job.conversationId);
    await commitStep(ctx, conversation, {
      ...turnPlan(turn, version),
    });
  });
}
