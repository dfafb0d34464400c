import { z } from "zod";

/** Starts a conversation; `variables` override declared defaults (unknown names are rejected by the runtime). */
export const startEventSchema = z.object({
  type: z.literal("conversation.start"),
  variables: z.record(z.string(), z.unknown()).default({}),
});

/** The user typed (or a channel delivered) text. */
export const userTextEventSchema = z.object({
  type: z.literal("user.text"),
  text: z.string().max(10_000),
});

/** The user picked one or more options (buttons, quick replies, choice asks) by their values. */
export const userChoiceEventSchema = z.object({
  type: z.literal("user.choice"),
  values: z.array(z.string()).min(1),
});

/** A timer the engine requested (wait node) is due. */
export const timerFiredEventSchema = z.object({
  type: z.literal("timer.fired"),
  timerId: z.string(),
});

/** A human agent finished a handoff; optional variables are merged (e.g. a resolution code). */
export const handoffResolvedEventSchema = z.object({
  type: z.literal("handoff.resolved"),
  variables: z.record(z.string(), z.unknown()).default({}),
});

/** Every event a turn can be driven by. */
export const turnEventSchema = z.discriminatedUnion("type", [
  startEventSchema,
  userTextEventSchema,
  userChoiceEventSchema,
  timerFiredEventSchema,
  handoffResolvedEventSchema,
]);
/** Every event a turn can be driven by (as accepted, before defaults). */
export type TurnEventInput = z.input<typeof turnEventSchema>;
/** Every event a turn can be driven by (after parsing). */
export type TurnEvent = z.infer<typeof turnEventSchema>;
