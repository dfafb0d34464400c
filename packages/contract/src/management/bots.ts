import { z } from "zod";
import { botModelStatusSchema } from "./models";

/** An origin a widget may be embedded on: scheme, host and optional port, no path. */
export const originSchema = z
  .string()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, "an origin like https://shop.example.com (no path)");

const botFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000),
  allowedOrigins: z.array(originSchema).max(50),
  settings: z.record(z.string(), z.unknown()),
  widgetTheme: z.record(z.string(), z.unknown()),
};

/** `POST /api/v1/bots` body; input of core's `createBot`. */
export const createBotInputSchema = z
  .object({
    name: botFields.name,
    description: botFields.description.optional(),
    allowedOrigins: botFields.allowedOrigins.optional(),
    settings: botFields.settings.optional(),
    widgetTheme: botFields.widgetTheme.optional(),
  })
  .strict();

/** `PATCH /api/v1/bots/{botId}` body: any subset of the bot's settings; input of core's `updateBot`. */
export const updateBotInputSchema = z
  .object({
    name: botFields.name.optional(),
    description: botFields.description.optional(),
    allowedOrigins: botFields.allowedOrigins.optional(),
    /** Merged into the current settings key by key; a key set to null is removed. */
    settings: botFields.settings.optional(),
    widgetTheme: botFields.widgetTheme.optional(),
    entryFlowId: z.string().nullable().optional(),
  })
  .strict();

/** A bot as the API returns it. */
export const botViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  allowedOrigins: z.array(z.string()),
  /**
   * The last site (origin) whose widget was refused because it is not in `allowedOrigins`, and
   * when; null when none was, or once it is allowed. What the settings page offers to add.
   */
  refusedOrigin: z.object({ origin: z.string(), at: z.string() }).nullable(),
  publishableKey: z.string(),
  settings: z.record(z.string(), z.unknown()),
  widgetTheme: z.record(z.string(), z.unknown()),
  entryFlowId: z.string().nullable(),
  /** When the bot was archived (hidden from lists, not answering); null while it is live. */
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A bot as the API returns it. */
export type BotView = z.infer<typeof botViewSchema>;

/** Which bots or flows a list shows: the live ones (default) or the archived ones. */
export const archivedFilterSchema = z.enum(["live", "archived"]).default("live");

/** `GET /api/v1/bots` query. */
export const listBotsQuerySchema = z.object({
  status: archivedFilterSchema.describe("`live` (default) or `archived`"),
});

/** `POST /api/v1/bots/{botId}/duplicate` body; input of core's `duplicateBot`. */
export const duplicateBotInputSchema = z
  .object({ name: botFields.name.optional().describe('Defaults to "<name> (copy)"') })
  .strict();

/**
 * `DELETE /api/v1/bots/{botId}` and `DELETE /api/v1/flows/{flowId}` query. Without `permanent` the bot
 * (flow) is archived, as before; with `permanent=true` it is deleted with everything it owns. A bot or
 * flow that has conversations is only deleted when `confirmName` repeats its name exactly.
 */
export const deleteQuerySchema = z.object({
  permanent: z.enum(["true", "false"]).optional().describe("`true` deletes for good instead of archiving"),
  confirmName: z
    .string()
    .max(200)
    .optional()
    .describe("The exact name, required to delete permanently when there are conversations"),
});

/** Input of core's `deleteBot` and `deleteFlow`. */
export const deleteInputSchema = z.object({ confirmName: z.string().max(200).optional() }).strict();

/**
 * A bot at a glance (`GET /api/v1/bots/{botId}/summary`): what its home's header and tabs show.
 * Counts are exact; "today" starts at 00:00 UTC.
 */
export const botSummarySchema = z.object({
  bot: botViewSchema,
  flows: z.object({ live: z.number().int(), published: z.number().int(), archived: z.number().int() }),
  /** The flow new conversations start on, and its published version (null: never published). */
  entryFlow: z
    .object({
      id: z.string(),
      name: z.string(),
      publishedVersion: z
        .object({ version: z.number().int(), publishedAt: z.string().nullable() })
        .nullable(),
    })
    .nullable(),
  channels: z.object({
    /** Enabled messaging channels (the web widget is always there and not counted). */
    connected: z.number().int(),
    total: z.number().int(),
    types: z.array(z.string()),
  }),
  conversations: z.object({
    today: z.number().int(),
    /** Not ended: with the bot or waiting for / talking to an agent. */
    open: z.number().int(),
    handoff: z.number().int(),
    total: z.number().int(),
  }),
  knowledge: z.object({ documents: z.number().int(), ready: z.number().int() }),
  experiments: z.object({ running: z.number().int(), total: z.number().int() }),
  triggers: z.object({ total: z.number().int() }),
  /** The models its published flows call, and whether only the offline model would answer. */
  models: botModelStatusSchema,
});
/** A bot at a glance. */
export type BotSummary = z.infer<typeof botSummarySchema>;
