import { z } from "zod";
import { type JsonBounds, jsonBoundsProblem, jsonDepthProblem } from "./json-bounds";
import { outgoingMessageSchema, replyOptionSchema } from "./messages";

/** Where a conversation takes place. */
export const channelSchema = z.enum(["web", "api", "whatsapp", "messenger", "slack", "teams", "telegram"]);
/** Where a conversation takes place. */
export type Channel = z.infer<typeof channelSchema>;

/** What the bot is doing after a turn: waiting for the user, handed to a human, or finished. */
export const conversationStatusSchema = z.enum(["waiting", "handoff", "ended"]);
/** What the bot is doing after a turn. */
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

/** Bounds of the variables any caller may send: deeper or larger values are refused with 400. */
export const VARIABLES_BOUNDS = { maxDepth: 32, maxBytes: 256 * 1024 } as const satisfies JsonBounds;
/** Tighter bounds for variables a publishable key (the widget, i.e. anyone) presets. */
export const CLIENT_VARIABLES_BOUNDS = { maxDepth: 5, maxBytes: 8 * 1024 } as const satisfies JsonBounds;

/**
 * Variable values by name, each nested at most `bounds.maxDepth` levels and all of them at most
 * `bounds.maxBytes` as JSON; the error names the variable.
 */
export function boundedVariablesSchema(bounds: JsonBounds = VARIABLES_BOUNDS) {
  return z.record(z.string().max(200), z.unknown()).superRefine((variables, ctx) => {
    let tooDeep = false;
    for (const [name, value] of Object.entries(variables)) {
      const problem = jsonDepthProblem(value, bounds.maxDepth);
      if (problem) {
        tooDeep = true;
        ctx.addIssue({ code: "custom", path: [name], message: `the value is ${problem}` });
      }
    }
    if (tooDeep) return;
    // Depth is known to be bounded now, so serializing cannot overflow the stack.
    const total = jsonBoundsProblem(variables, { maxDepth: bounds.maxDepth + 1, maxBytes: bounds.maxBytes });
    if (total) ctx.addIssue({ code: "custom", message: `the variables are ${total}` });
  });
}

/** `POST /api/v1/bots/{botId}/conversations` body. */
export const createConversationRequestSchema = z
  .object({
    /**
     * The end user, as the caller knows them; links the conversation to a contact. Secret keys
     * only: a publishable key (the widget) identifies a visitor with `identityToken` instead.
     */
    user: z
      .object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() })
      .strict()
      .optional(),
    /**
     * A visitor identity token: a JWT (HS256) your server signs with the bot's identity secret,
     * with `sub` (your user id), `iat`, `exp` (at most an hour after `iat`) and optionally a
     * verified `email` and `name`. Links the conversation to that user's web contact.
     */
    identityToken: z.string().min(1).max(4096).optional(),
    /**
     * An anonymous visitor's stable id (the widget keeps a random one per browser), 8 to 64 letters,
     * digits, `-` or `_`. A running experiment assigns every conversation of the visitor the same
     * variant; it links no contact and is ignored when the conversation has one (a `user` or a verified
     * `identityToken`: the contact is the subject then).
     */
    visitorId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, "8 to 64 letters, digits, - or _")
      .optional(),
    /**
     * Initial values for variables the flow declares. With a publishable key only variables the
     * flow marks `clientSettable`, type-checked, at most 5 levels deep and 8 KB.
     */
    variables: boundedVariablesSchema().optional(),
    /**
     * Where the conversation takes place: default `api` for secret keys. A publishable key always
     * starts `web` conversations (another channel is refused).
     */
    channel: channelSchema.optional(),
  })
  .strict();
/** `POST /api/v1/bots/{botId}/conversations` body. */
export type CreateConversationRequest = z.input<typeof createConversationRequestSchema>;

/** What the bot said in one turn and where the conversation stands. */
export const turnResponseSchema = z.object({
  messages: z.array(outgoingMessageSchema),
  status: conversationStatusSchema,
});
/** What the bot said in one turn and where the conversation stands. */
export type TurnResponse = z.infer<typeof turnResponseSchema>;

/** `POST /api/v1/bots/{botId}/conversations` 201 response. */
export const createConversationResponseSchema = turnResponseSchema.extend({ conversationId: z.string() });
/** `POST /api/v1/bots/{botId}/conversations` 201 response. */
export type CreateConversationResponse = z.infer<typeof createConversationResponseSchema>;

/**
 * `POST /api/v1/conversations/{id}/messages` body: typed text or picked option value(s).
 * `clientMessageId` makes a resend idempotent: the same id is processed once and answered again.
 * `author: "agent"` is an agent's reply during a handoff (needs the `conversations:agent` scope).
 */
export const sendMessageRequestSchema = z
  .object({
    text: z.string().min(1).max(10_000).optional(),
    choice: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    clientMessageId: z.string().min(1).max(100).optional(),
    author: z.enum(["user", "agent"]).default("user"),
    /** Agents only: quick replies offered under the text. */
    replies: z.array(replyOptionSchema).min(1).max(10).optional(),
    /** Agents only: a file or image to show, by http(s) URL. */
    attachmentUrl: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .optional(),
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.choice === undefined), {
    message: "send exactly one of `text` or `choice`",
  });
/** `POST /api/v1/conversations/{id}/messages` body. */
export type SendMessageRequest = z.input<typeof sendMessageRequestSchema>;

/** Who wrote a transcript entry. */
export const authorSchema = z.enum(["user", "bot", "agent", "system"]);

/** The visitor's end-of-conversation rating (1-5, optional comment) as stored on the conversation. */
export const csatSchema = z.object({
  score: z.number().int(),
  comment: z.string().nullable(),
  at: z.string(),
});

/** One entry of a transcript, in conversation order. */
export const transcriptEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  author: authorSchema,
  createdAt: z.string(),
  /** Bot entries carry the outgoing message; user and agent entries carry what they sent. */
  message: z.union([
    outgoingMessageSchema,
    z.object({ type: z.literal("user_text"), text: z.string() }),
    z.object({ type: z.literal("user_choice"), values: z.array(z.string()) }),
    z.object({
      type: z.literal("agent_text"),
      text: z.string(),
      replies: z.array(replyOptionSchema).optional(),
      attachmentUrl: z.string().optional(),
    }),
  ]),
});
/** One entry of a transcript. */
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

/** `GET /api/v1/conversations/{id}` response. */
export const transcriptResponseSchema = z.object({
  conversationId: z.string(),
  botId: z.string(),
  status: conversationStatusSchema,
  channel: channelSchema,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  entries: z.array(transcriptEntrySchema),
  /** The conversation's variables, name -> value (empty for a publishable key). */
  variables: z.record(z.string(), z.unknown()),
  /** The flow nodes the conversation went through, in order, turn by turn (empty for a publishable key). */
  path: z.array(z.object({ nodeId: z.string(), turn: z.number().int(), at: z.string() })),
  /** Which variables each turn set (names only; `variables` has the values), in order. */
  variableChanges: z.array(
    z.object({ name: z.string(), nodeId: z.string().nullable(), turn: z.number().int(), at: z.string() }),
  ),
  /** The flow and published version it runs (for a link to the canvas). */
  flowId: z.string(),
  flowVersionId: z.string(),
  flowVersion: z.number().int().nullable(),
  contactId: z.string().nullable(),
  /** The visitor's rating, once given (the widget offers it when the conversation ends). */
  csat: csatSchema.nullable(),
});
/** `GET /api/v1/conversations/{id}` response. */
export type TranscriptResponse = z.infer<typeof transcriptResponseSchema>;
