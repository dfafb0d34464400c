import { z } from "zod";
import { boundedVariablesSchema, channelSchema, conversationStatusSchema } from "../conversations";

/**
 * What a conversation is doing, derived from its status and assignee: `active` (the bot has it;
 * DB status `waiting`), `waiting` (handed off, no agent yet), `handoff` (an agent has it), `ended`.
 */
export const conversationStateSchema = z.enum(["active", "waiting", "handoff", "ended"]);
/** What a conversation is doing (see {@link conversationStateSchema}). */
export type ConversationState = z.infer<typeof conversationStateSchema>;

const isoDateTime = z.iso.datetime({ offset: true });

/** `GET /api/v1/bots/{botId}/conversations` query: filters and paging of core's `listConversations`. */
export const listConversationsQuerySchema = z
  .object({
    /** Full-text search over message text (all words must occur; `"a phrase"`, `or`, `-word` work). */
    q: z.string().trim().max(200).optional().describe("Words to find in the messages (full-text search)"),
    status: conversationStatusSchema.optional(),
    state: conversationStateSchema.optional().describe("active, waiting (for an agent), handoff, ended"),
    channel: channelSchema.optional(),
    contactId: z.string().max(100).optional().describe("Only this contact's conversations"),
    contact: z.string().trim().max(200).optional().describe("Part of the contact's name, e-mail or phone"),
    flowVersion: z.coerce.number().int().min(1).optional().describe("Published flow version number"),
    variant: z.string().max(100).optional().describe("Experiment variant key"),
    /** Only conversations started at or after this ISO date-time. */
    since: isoDateTime.optional(),
    /** Only conversations started before this ISO date-time. */
    until: isoDateTime.optional(),
    lastActivitySince: isoDateTime.optional().describe("Last activity at or after this ISO date-time"),
    lastActivityUntil: isoDateTime.optional().describe("Last activity before this ISO date-time"),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** `nextCursor` of the previous page. */
    cursor: z.string().optional(),
  })
  .strict();

/** One row of a conversation list. */
export const conversationSummarySchema = z.object({
  conversationId: z.string(),
  /** The stored status (`waiting` = the bot has it); see `state` for the inbox view. */
  status: conversationStatusSchema,
  state: conversationStateSchema,
  channel: z.string(),
  flowVersionId: z.string(),
  /** The published version number the conversation runs. */
  flowVersion: z.number().int().nullable(),
  experimentVariant: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  turnCount: z.number().int(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  endedAt: z.string().nullable(),
  /** The visitor's CSAT score (1-5), once rated. */
  csatScore: z.number().int().nullable(),
});
/** One row of a conversation list. */
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

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

/**
 * `GET /api/v1/bots/{botId}/results` query: the conversations list's filters, plus the variable
 * columns to show (comma-separated; default: every variable the bot's flows declare) and the format
 * (`json` pages, `csv`/`xlsx` stream every matching row).
 */
export const resultsQuerySchema = listConversationsQuerySchema
  .extend({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    columns: z
      .string()
      .max(4000)
      .optional()
      .describe("Comma-separated variable names to include (default: all declared variables)"),
    format: z.enum(["json", "csv", "xlsx"]).default("json").describe("json (paged), csv or xlsx (all rows)"),
  })
  .strict();

/** One row of the results table: a conversation and the values its variables hold. */
export const resultRowSchema = z.object({
  conversationId: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  state: conversationStateSchema,
  channel: z.string(),
  contactName: z.string().nullable(),
  flowVersion: z.number().int().nullable(),
  values: z.record(z.string(), z.unknown()),
});

/** A page of results: the chosen variable columns, every column there is, and the rows. */
export const resultsPageSchema = z.object({
  columns: z.array(z.string()),
  availableColumns: z.array(z.string()),
  items: z.array(resultRowSchema),
  nextCursor: z.string().nullable(),
});
/** A page of results. */
export type ResultsPage = z.infer<typeof resultsPageSchema>;
