import { z } from "zod";
import { conversationStatusSchema } from "./conversations";

/**
 * The event stream's wire: one JSON document per event, the same whether it is read from Kafka (a topic
 * below, key = conversation id) or handed to an in-process consumer by the outbox relay. Every event
 * carries `id` (unique: consumers deduplicate by it), `version` (of its topic's schema; a new
 * incompatible version gets a new topic name, `*.v2`), the tenant and the conversation it belongs to.
 * The committed JSON Schemas (`packages/contract/schemas/events/<topic>.schema.json`) are generated from these.
 */

/** The topics of the stream, by the names the seed fixed. */
export const EVENT_TOPICS = [
  "message.inbound.v1",
  "message.outbound.v1",
  "conversation.events.v1",
  "analytics.events.v1",
  "integration.events.v1",
] as const;
/** Where events a sink could not publish (after its retries) go, with the reason. */
export const DEAD_LETTER_TOPIC = "parley.dlq.v1";

/** A topic of the stream. */
export type EventTopic = (typeof EVENT_TOPICS)[number];

const envelope = {
  /** Unique per event (UUID): at-least-once delivery means duplicates carry the same id. */
  id: z.uuid(),
  /** Version of the topic's payload schema. */
  version: z.literal(1),
  tenantId: z.string().min(1),
  /**
   * The partition key: events of one conversation keep their order. Null only for analytics events
   * of no conversation (a model call outside a turn); those are keyed by the tenant id.
   */
  conversationId: z.string().min(1).nullable(),
  botId: z.string().min(1).nullable(),
  /** When the event happened (ISO 8601). */
  occurredAt: z.iso.datetime({ offset: true }),
};

/** A message the conversation wrote: its position in the transcript and its payload as stored. */
const messageData = z.object({
  messageId: z.string().min(1),
  /** The message's sequence number in its conversation (1, 2, ...). */
  seq: z.number().int().positive(),
  author: z.enum(["user", "bot", "agent", "system"]),
  /** The member who wrote it (agent messages), else null. */
  authorUserId: z.string().nullable(),
  /** The text of the message (null for messages without text). */
  text: z.string().nullable(),
  /** The message as the transcript stores it (see the REST API's message shapes). */
  payload: z.unknown(),
});

/** `message.inbound.v1`: what a visitor or contact sent (author `user`). */
export const messageInboundEventSchema = z.object({
  ...envelope,
  type: z.literal("message.inbound"),
  data: messageData.extend({ clientMessageId: z.string().nullable() }),
});

/** `message.outbound.v1`: what the bot, an agent or the system said. */
export const messageOutboundEventSchema = z.object({
  ...envelope,
  type: z.literal("message.outbound"),
  data: messageData.extend({ nodeId: z.string().nullable() }),
});

/**
 * The lifecycle changes of a conversation: its status (started, handed to a human, back to the bot,
 * ended) and, while a human has it, who has it (assigned to an agent, unassigned, transferred).
 */
export const conversationEventTypeSchema = z.enum([
  "conversation.started",
  "conversation.handoff",
  "conversation.resumed",
  "conversation.ended",
  "conversation.assigned",
  "conversation.unassigned",
  "conversation.transferred",
]);

/**
 * Who has a handed-off conversation after an inbox action, and who had it before. Present on
 * `conversation.assigned`, `conversation.unassigned`, `conversation.transferred`, and on the
 * `conversation.handoff` of a takeover from the inbox.
 */
export const conversationAssignmentSchema = z.object({
  /** The agent (member user id) who has it now; null: unassigned, waiting in its queue. */
  agentId: z.string().nullable(),
  /** The agent who had it before (null: nobody). */
  previousAgentId: z.string().nullable(),
  /** The queue it waits in (null: the default queue). */
  queue: z.string().nullable(),
  /** The queue before. */
  previousQueue: z.string().nullable(),
  /** The member who made the change; null for an API key or the system. */
  byUserId: z.string().nullable(),
});

/** `conversation.events.v1`: a conversation's lifecycle change (see {@link conversationEventTypeSchema}). */
export const conversationEventSchema = z.object({
  ...envelope,
  type: conversationEventTypeSchema,
  data: z.object({
    status: conversationStatusSchema,
    /** The status before (null for `conversation.started`). */
    previousStatus: conversationStatusSchema.nullable(),
    channel: z.string().nullable(),
    /** Assignment events (and a takeover's handoff): who has the conversation now and before. */
    assignment: conversationAssignmentSchema.optional(),
    /**
     * `conversation.handoff` only: the handoff node's message as the transcript stores it (queue,
     * priority, reason, ...); null when no node asked (a takeover from the inbox).
     */
    handoff: z.unknown().optional(),
  }),
});

/** `analytics.events.v1`: an analytics event as stored in analytics_events (turns, model calls, ...). */
export const analyticsEventSchema = z.object({
  ...envelope,
  /** The analytics event type (`turn`, `conversation.started`, `llm.call`, ...). */
  type: z.string().min(1),
  data: z.object({
    /** The analytics_events row id (null for rows whose id the database made). */
    analyticsEventId: z.string().nullable(),
    properties: z.record(z.string(), z.unknown()),
  }),
});

/** `integration.events.v1`: one call of an integration made by a turn (what `GET .../usage` counts). */
export const integrationEventSchema = z.object({
  ...envelope,
  type: z.literal("integration.call"),
  data: z.object({
    integrationId: z.string().min(1),
    /** The final HTTP status, or null when no response came (network, timeout, breaker, token). */
    status: z.number().int().nullable(),
    outcome: z.enum(["success", "error"]),
    durationMs: z.number().nonnegative(),
    attempts: z.number().int().nonnegative(),
  }),
});

/** `parley.dlq.v1`: an event a consumer group or sink gave up on, with the reason and the event. */
export const deadLetterEventSchema = z.object({
  ...envelope,
  type: z.literal("dead-letter"),
  data: z.object({
    group: z.string(),
    topic: z.string(),
    eventId: z.string(),
    error: z.string(),
    attempts: z.number().int().nonnegative(),
    event: z.unknown(),
  }),
});

/** The schema of each topic's events. */
export const eventSchemas = {
  "message.inbound.v1": messageInboundEventSchema,
  "message.outbound.v1": messageOutboundEventSchema,
  "conversation.events.v1": conversationEventSchema,
  "analytics.events.v1": analyticsEventSchema,
  "integration.events.v1": integrationEventSchema,
  [DEAD_LETTER_TOPIC]: deadLetterEventSchema,
} as const;

/** An event of the stream, by topic. */
export type StreamEventOf<T extends keyof typeof eventSchemas> = z.infer<(typeof eventSchemas)[T]>;
export type MessageInboundEvent = z.infer<typeof messageInboundEventSchema>;
export type MessageOutboundEvent = z.infer<typeof messageOutboundEventSchema>;
export type ConversationStreamEvent = z.infer<typeof conversationEventSchema>;
export type ConversationAssignment = z.infer<typeof conversationAssignmentSchema>;
export type AnalyticsStreamEvent = z.infer<typeof analyticsEventSchema>;
export type IntegrationStreamEvent = z.infer<typeof integrationEventSchema>;
export type DeadLetterEvent = z.infer<typeof deadLetterEventSchema>;

/** Where the committed JSON Schemas are published (their `$id` prefix). */
export const EVENT_SCHEMA_BASE = "https://parley.dev/schemas/events/";

/**
 * The JSON Schema (draft 2020-12) of one topic's events, generated from the zod schema; the committed
 * `schemas/events/<topic>.schema.json` is this value as text (`npm run generate -w @parley/contract`).
 */
export function eventJsonSchemaText(topic: keyof typeof eventSchemas): string {
  const schema = z.toJSONSchema(eventSchemas[topic], { io: "output", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, $id: `${EVENT_SCHEMA_BASE}${topic}.schema.json`, title: topic, ...rest }, null, 2)}\n`;
}
