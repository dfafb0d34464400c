import { z } from "zod";
import { channelSchema, conversationStatusSchema, csatSchema, transcriptEntrySchema } from "../conversations";

/** Priority of a conversation waiting for a human (the handoff node's, or the takeover's). */
export const handoffPrioritySchema = z.enum(["low", "normal", "high", "urgent"]);
/** Priority of a conversation waiting for a human. */
export type HandoffPriority = z.infer<typeof handoffPrioritySchema>;

/** `POST /api/v1/conversations/{conversationId}/takeover` body. */
export const takeoverRequestSchema = z
  .object({
    /** Put the conversation in this queue unassigned instead of taking it yourself. */
    queue: z.string().min(1).max(100).optional(),
    reason: z.string().max(500).optional(),
    priority: handoffPrioritySchema.optional(),
  })
  .strict();
/** `POST .../takeover` body. */
export type TakeoverRequest = z.input<typeof takeoverRequestSchema>;

/** `POST /api/v1/conversations/{conversationId}/assign` body: give it to an agent (`null`: unassign). */
export const assignRequestSchema = z
  .object({ userId: z.string().min(1).max(100).nullable().describe("The agent (studio user) id") })
  .strict();

/** `POST /api/v1/conversations/{conversationId}/transfer` body: to another agent, or back to a queue. */
export const transferRequestSchema = z
  .object({
    userId: z.string().min(1).max(100).optional().describe("The agent who gets the conversation"),
    queue: z.string().min(1).max(100).optional().describe("The queue it waits in, unassigned"),
    reason: z.string().max(500).optional(),
  })
  .strict()
  .refine((body) => (body.userId === undefined) !== (body.queue === undefined), {
    message: "send exactly one of `userId` or `queue`",
  });

/** `POST /api/v1/conversations/{conversationId}/notes` body: an internal note, never shown to the visitor. */
export const createNoteRequestSchema = z.object({ text: z.string().trim().min(1).max(5_000) }).strict();

/** An internal note on a conversation. */
export const inboxNoteSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  authorUserId: z.string().nullable(),
  authorLabel: z.string(),
  text: z.string(),
  createdAt: z.string(),
});
/** An internal note on a conversation. */
export type InboxNote = z.infer<typeof inboxNoteSchema>;

/** `GET /api/v1/conversations/{conversationId}/notes` response. */
export const inboxNoteListSchema = z.object({ items: z.array(inboxNoteSchema) });

/** `POST /api/v1/conversations/{conversationId}/csat` body: the visitor's rating at the end. */
export const csatRequestSchema = z
  .object({
    score: z.number().int().min(1, "the score is 1 to 5").max(5, "the score is 1 to 5"),
    comment: z.string().trim().max(2_000).optional(),
  })
  .strict();
/** `POST .../csat` body. */
export type CsatRequest = z.input<typeof csatRequestSchema>;

/** `POST /api/v1/conversations/{conversationId}/typing` body: the visitor (or agent) is typing. */
export const typingRequestSchema = z.object({ typing: z.boolean().default(true) }).strict();

/** Who has a conversation and why, as the inbox shows it. */
export const inboxStateSchema = z.object({
  conversationId: z.string(),
  status: conversationStatusSchema,
  assignedUserId: z.string().nullable(),
  assignedAt: z.string().nullable(),
  queue: z.string().nullable(),
  priority: handoffPrioritySchema.nullable(),
  reason: z.string().nullable(),
  handoffAt: z.string().nullable(),
  csat: csatSchema.nullable(),
});
/** Who has a conversation and why. */
export type InboxState = z.infer<typeof inboxStateSchema>;

/** One message of a conversation as the event stream carries it (the transcript entry's shape). */
export const conversationEventMessageSchema = transcriptEntrySchema;

/**
 * Events of `GET /api/v1/conversations/{conversationId}/events` (server-sent events). `message`
 * events carry `id:` = the message's `seq`; `status` follows every change with `id:` = the last seq,
 * so `Last-Event-ID` resumes after the last message seen. `typing` and `note` carry no id.
 */
export const conversationEventSchemas = {
  message: conversationEventMessageSchema,
  status: inboxStateSchema.omit({ csat: true }).extend({ csat: csatSchema.nullable().optional() }),
  typing: z.object({ who: z.enum(["visitor", "agent"]), typing: z.boolean(), label: z.string().optional() }),
  note: inboxNoteSchema,
} as const;
/** One event of the conversation event stream. */
export type ConversationEvent = {
  [Name in keyof typeof conversationEventSchemas]: {
    event: Name;
    data: z.infer<(typeof conversationEventSchemas)[Name]>;
  };
}[keyof typeof conversationEventSchemas];

/** `GET .../events` query: resume point when the `Last-Event-ID` header cannot be set (EventSource's first connect). */
export const conversationEventsQuerySchema = z
  .object({
    lastEventId: z.coerce.number().int().nonnegative().optional(),
    /** A publishable key (`pk_...`) for browsers' EventSource, which cannot send headers. Never a secret key. */
    access_token: z
      .string()
      .regex(/^pk_/, "only a publishable key (pk_...) may be sent in the URL")
      .optional(),
  })
  .strict();

/** `GET /api/v1/inbox` query. */
export const inboxQuerySchema = z
  .object({
    /** `waiting`: unassigned handoffs; `mine`: assigned to me; `all`: every open handoff. */
    view: z.enum(["waiting", "mine", "all"]).default("all"),
    queue: z.string().max(100).optional(),
    botId: z.string().max(100).optional(),
  })
  .strict();

/** One conversation of the inbox queue. */
export const inboxItemSchema = inboxStateSchema.extend({
  botId: z.string(),
  botName: z.string(),
  channel: channelSchema,
  contactName: z.string().nullable(),
  lastActivityAt: z.string(),
  /** Seconds since the conversation was handed off. */
  waitingSeconds: z.number().int().nonnegative(),
  lastSeq: z.number().int(),
  /** Last visitor or bot message, for the list. */
  preview: z.string().nullable(),
  /** Messages after the caller's last read seq (see `POST .../read`). */
  unread: z.number().int().nonnegative(),
});
/** One conversation of the inbox queue. */
export type InboxItem = z.infer<typeof inboxItemSchema>;

/** `GET /api/v1/inbox` response. */
export const inboxListSchema = z.object({ items: z.array(inboxItemSchema) });

/** `POST /api/v1/conversations/{conversationId}/read` body: the caller read up to `seq`. */
export const markReadRequestSchema = z.object({ seq: z.number().int().nonnegative() }).strict();

/** `GET /api/v1/conversations/{conversationId}/summary` response: AI summary and visitor sentiment. */
export const conversationSummaryInsightSchema = z.object({
  summary: z.string(),
  sentiment: z.enum(["positive", "neutral", "negative"]),
  /** `model`: through the tenant's model routes; `extractive`: picked sentences (offline). */
  method: z.enum(["model", "extractive"]),
});
/** AI summary and sentiment of a conversation. */
export type ConversationSummaryInsight = z.infer<typeof conversationSummaryInsightSchema>;

/** An agent's presence in the inbox. */
export const presenceStatusSchema = z.enum(["online", "away", "offline"]);
/** `PUT /api/v1/inbox/presence` body. */
export const setPresenceRequestSchema = z.object({ status: z.enum(["online", "away"]) }).strict();
/** Agents and their presence. */
export const agentPresenceListSchema = z.object({
  items: z.array(
    z.object({
      userId: z.string(),
      label: z.string(),
      status: presenceStatusSchema,
      assigned: z.number().int().nonnegative(),
    }),
  ),
});

/** `PUT /api/v1/members/{userId}/bots` body: the bots an `agent` member may work on. */
export const agentBotAccessSchema = z
  .object({ botIds: z.array(z.string().min(1).max(100)).max(500) })
  .strict();
