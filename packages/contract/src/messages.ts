import { z } from "zod";
import { citationSchema } from "./citation";

/**
 * The wire shape of everything a bot says. The engine produces these objects; the widget, the REST
 * API and channel adapters carry them unchanged; every variant names the node that produced it.
 */

const base = { nodeId: z.string() };

/** A button or quick reply the user can pick. `value` is what comes back as the user's choice. */
export const replyOptionSchema = z.object({
  label: z.string(),
  value: z.string(),
});
/** A button or quick reply the user can pick. */
export type ReplyOption = z.infer<typeof replyOptionSchema>;

/** A card button: either sends `value` back like a quick reply, or opens `url`. */
export const cardButtonSchema = z.object({
  label: z.string(),
  value: z.string().optional(),
  url: z.string().optional(),
});

/** Plain (or markdown) text, already rendered from its template. */
export const textMessageSchema = z.object({
  ...base,
  type: z.literal("text"),
  text: z.string(),
  format: z.enum(["plain", "markdown"]).default("plain"),
  /** Where the text came from; "llm" replies may already have been streamed token by token. */
  source: z.enum(["flow", "llm", "knowledge", "system"]).default("flow"),
  /** Sources of a grounded (knowledge) answer. */
  citations: z.array(citationSchema).optional(),
});

/** An image. Channels that cannot show images send `alt` (or the url) as text. */
export const imageMessageSchema = z.object({
  ...base,
  type: z.literal("image"),
  url: z.string(),
  alt: z.string().optional(),
});

/** A rich card with optional image and buttons. */
export const cardMessageSchema = z.object({
  ...base,
  type: z.literal("card"),
  title: z.string(),
  subtitle: z.string().optional(),
  imageUrl: z.string().optional(),
  buttons: z.array(cardButtonSchema).default([]),
});

/** Suggested replies shown under the previous message; picking one sends its value as the user's text. */
export const quickRepliesMessageSchema = z.object({
  ...base,
  type: z.literal("quick_replies"),
  text: z.string().optional(),
  replies: z.array(replyOptionSchema).min(1),
});

/** The input an `ask` expects, so clients can show the right control. */
export const askInputSchema = z.object({
  kind: z.enum(["text", "number", "email", "phone", "date", "choice"]),
  /** Human hint about what is valid, e.g. "a number between 1 and 10". */
  hint: z.string().optional(),
  placeholder: z.string().optional(),
  /** For `choice`: the options, in order. */
  choices: z.array(replyOptionSchema).optional(),
  /** For `choice`: whether several options may be picked. */
  multiple: z.boolean().optional(),
});
/** The input an `ask` expects. */
export type AskInput = z.infer<typeof askInputSchema>;

/** A question: the conversation now waits for the answer. */
export const askMessageSchema = z.object({
  ...base,
  type: z.literal("ask"),
  text: z.string(),
  input: askInputSchema,
  /** 0 for the first prompt, 1.. for retry prompts after an invalid answer. */
  attempt: z.number().int().nonnegative(),
});

/** "The bot is typing" for `durationMs`; clients may render or ignore it. */
export const typingMessageSchema = z.object({
  ...base,
  type: z.literal("typing"),
  durationMs: z.number().int().nonnegative(),
});

/** The conversation is handed to a human; the bot stays silent until the handoff is resolved. */
export const handoffMessageSchema = z.object({
  ...base,
  type: z.literal("handoff"),
  text: z.string().optional(),
  queue: z.string().optional(),
  /** Why the bot hands over, for the agent. */
  reason: z.string().optional(),
  priority: z.enum(["low", "normal", "high", "urgent"]).default("normal"),
});

/** The conversation has ended. */
export const endMessageSchema = z.object({
  ...base,
  type: z.literal("end"),
  text: z.string().optional(),
  /** `error` when the conversation ended because of a failure no branch handled. */
  reason: z.enum(["completed", "error"]).default("completed"),
  /** The end node's outcome tag, for analytics (`resolved`, `order-placed`, ...). */
  outcome: z.string().optional(),
});

/** Any message the engine emits. Discriminated by `type`. */
export const outgoingMessageSchema = z.discriminatedUnion("type", [
  textMessageSchema,
  imageMessageSchema,
  cardMessageSchema,
  quickRepliesMessageSchema,
  askMessageSchema,
  typingMessageSchema,
  handoffMessageSchema,
  endMessageSchema,
]);
/** Any message the engine emits. */
export type OutgoingMessage = z.infer<typeof outgoingMessageSchema>;
