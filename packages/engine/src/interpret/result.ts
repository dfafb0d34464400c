import { outgoingMessageSchema } from "@parley/contract";
import { z } from "zod";
import { timerRequestSchema } from "./session";
import { persistedSnapshotSchema } from "./snapshot";
import { turnTraceSchema } from "./trace";

/** What a turn produced. */
export const turnResultSchema = z.object({
  /** Persist this and pass it back (with the same machine version) on the next turn. */
  snapshot: persistedSnapshotSchema,
  /** What the bot says, in order. */
  messages: z.array(outgoingMessageSchema),
  /**
   * `waiting`: for the user (ask) or a timer (wait); `handoff`: a human agent has the
   * conversation until a `handoff.resolved` event; `ended`: the flow is finished.
   */
  status: z.enum(["waiting", "ended", "handoff"]),
  /** What the conversation waits for, when it waits. */
  waitingFor: z.enum(["user", "timer", "agent"]).nullable(),
  /** Timers to schedule; each is delivered back as `{ type: "timer.fired", timerId }`. */
  timers: z.array(timerRequestSchema),
  /** The current flow's variables after the turn (contact-scoped ones are for the caller to keep). */
  variables: z.record(z.string(), z.unknown()),
  trace: turnTraceSchema,
});
/** What a turn produced. */
export type TurnResult = z.infer<typeof turnResultSchema>;
