import { z } from "zod";
import { turnResponseSchema } from "./conversations";
import { outgoingMessageSchema } from "./messages";
import { problemSchema } from "./problem";

/**
 * Server-sent events of `POST .../messages` with `Accept: text/event-stream`. Each SSE `event:` name
 * maps to one data shape; a stream always ends with exactly one `done` or `error` event.
 */
export const streamEventSchemas = {
  /** A complete bot message, in order. */
  message: outgoingMessageSchema,
  /** A piece of an LLM reply as it is generated; the complete text follows as a `message`. */
  token: z.object({ nodeId: z.string(), streamId: z.string(), token: z.string() }),
  /** The turn is over: the full response, as the non-streaming call would have returned it. */
  done: turnResponseSchema,
  /** The turn failed; no further events follow. */
  error: problemSchema,
} as const;

/** A piece of an LLM reply as it is generated (the `token` event's data). */
export type StreamToken = z.infer<typeof streamEventSchemas.token>;

/** The name of a stream event. */
export type StreamEventName = keyof typeof streamEventSchemas;

/** One decoded stream event. */
export type StreamEvent = {
  [Name in StreamEventName]: { event: Name; data: z.infer<(typeof streamEventSchemas)[Name]> };
}[StreamEventName];
