import { z } from "zod";

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
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A bot as the API returns it. */
export type BotView = z.infer<typeof botViewSchema>;
