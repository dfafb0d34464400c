import { z } from "zod";
import { boundedVariablesSchema, channelSchema, conversationStatusSchema } from "../conversations";

/** `GET /api/v1/bots/{botId}/conversations` query: filters and paging of core's `listConversations`. */
export const listConversationsQuerySchema = z
  .object({
    status: conversationStatusSchema.optional(),
    channel: channelSchema.optional(),
    /** Only conversations started at or after this ISO date-time. */
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** `nextCursor` of the previous page. */
    cursor: z.string().optional(),
  })
  .strict();

/** One row of a conversation list. */
export const conversationSummarySchema = z.object({
  conversationId: z.string(),
  status: conversationStatusSchema,
  channel: z.string(),
  flowVersionId: z.string(),
  contactId: z.string().nullable(),
  turnCount: z.number().int(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  endedAt: z.string().nullable(),
});

/** A page of conversations. */
export const conversationPageSchema = z.object({
  items: z.array(conversationSummarySchema),
  nextCursor: z.string().nullable(),
});
/** A page of conversations. */
export type ConversationPage = z.infer<typeof conversationPageSchema>;

/** `POST /api/v1/conversations/{conversationId}/handback` body: the bot takes over again. */
export const handBackRequestSchema = z
  .object({
    variables: boundedVariablesSchema().optional().describe("Merged into the flow's variables"),
    nodeId: z.string().min(1).max(200).optional().describe("Resume the bot at this node of the flow"),
  })
  .strict();
