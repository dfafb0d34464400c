/**
 * The conversation service and turn pipeline (the public surface; each concept has its own file):
 * - start.ts, send.ts, handoff.ts, end.ts, timers.ts: the operations;
 * - lock.ts (per-conversation lock, turn budget), load.ts (hot cache + database), engine-turn.ts
 *   (the engine over the ports), commit.ts (one transaction per step), after-commit.ts (timers,
 *   webhooks, metrics), contacts.ts (contacts and contact-scoped variables), entry.ts and
 *   versions.ts (what a bot runs), transcript.ts (reading conversations).
 */

export { listConversations } from "../conversation-browser/list-conversations";
export { countActiveConversations } from "./activity";
export { endConversation } from "./end";
export type { TurnCallOptions } from "./engine-turn";
export { resolveHandoff } from "./handoff";
export { sendMessage } from "./send";
export { startConversation } from "./start";
export { recoverPendingTimers, TIMER_QUEUE } from "./timer-jobs";
export { fireTimer, timerJobSchema } from "./timers";
export { getConversation } from "./transcript";
