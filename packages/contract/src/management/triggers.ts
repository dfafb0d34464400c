import { z } from "zod";
import { boundedVariablesSchema, channelSchema } from "../conversations";

/** A trigger's name: the last segment of `POST /api/v1/bots/{botId}/triggers/{name}`. */
export const triggerNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9-_]*$/,
    "must be lower-case letters, digits, dashes and underscores (e.g. order-shipped)",
  );

/**
 * How a trigger fills the conversation's variables: variable name -> JSONata expression over the
 * request body (e.g. `{ "orderId": "data.order.id" }`).
 */
export const triggerVariableMappingSchema = z.record(z.string().min(1).max(64), z.string().min(1).max(2000));

/** `POST /api/v1/bots/{botId}/triggers` body. */
export const createTriggerInputSchema = z
  .object({
    name: triggerNameSchema,
    description: z.string().trim().max(500).optional(),
    /** The channel the conversation starts on (messaging channels work once the bot has them). */
    channel: channelSchema.default("api"),
    /** The flow to start (its published version); default: the bot's entry flow. */
    flowId: z.string().uuid().optional(),
    variables: triggerVariableMappingSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict();

/** `PATCH /api/v1/bots/{botId}/triggers/{name}` body (`flowId: null`: back to the entry flow). */
export const updateTriggerInputSchema = z
  .object({
    description: z.string().trim().max(500).optional(),
    channel: channelSchema.optional(),
    flowId: z.string().uuid().nullable().optional(),
    variables: triggerVariableMappingSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

/** A trigger as the API shows it. */
export const triggerViewSchema = z.object({
  id: z.string(),
  botId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  channel: channelSchema,
  flowId: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
  enabled: z.boolean(),
  /** Path to POST to fire it. */
  url: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A trigger as the API shows it. */
export type TriggerView = z.infer<typeof triggerViewSchema>;

/**
 * `POST /api/v1/bots/{botId}/triggers/{name}` body: who the conversation is with and the data the
 * trigger's variable mapping reads. The contact is `contactId` (an existing contact: its identity on
 * the trigger's channel), or `user` (the identity on that channel, created on first sight), or
 * neither (a new contact is created).
 */
export const fireTriggerRequestSchema = z
  .object({
    contactId: z.string().uuid().optional(),
    user: z
      .object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() })
      .strict()
      .optional(),
    /** Variables given as they are (the flow must declare them). */
    variables: boundedVariablesSchema().optional(),
    /** Anything else the trigger's mapping reads (`data.order.id`). */
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((body) => !(body.contactId && body.user), {
    message: "give `contactId` or `user`, not both",
    path: ["user"],
  });
/** `POST /api/v1/bots/{botId}/triggers/{name}` body. */
export type FireTriggerRequest = z.input<typeof fireTriggerRequestSchema>;

/** What firing a trigger answers: the conversation it started. */
export const fireTriggerResponseSchema = z.object({
  conversationId: z.string(),
  contactId: z.string().nullable(),
  channel: channelSchema,
  status: z.string(),
  messages: z.array(z.unknown()),
});
/** What firing a trigger answers. */
export type FireTriggerResponse = z.infer<typeof fireTriggerResponseSchema>;

/** `POST /api/v1/bots/{botId}/trigger-secret` answer: the secret, shown this once. */
export const triggerSecretResponseSchema = z.object({
  botId: z.string(),
  secret: z.string(),
  rotated: z.boolean(),
  /** How to sign: the header and the signed string. */
  header: z.string(),
});

/** `{botId}` and `{name}` in trigger paths. */
export const triggerParamsSchema = z
  .object({ botId: z.string().min(1).max(64), name: z.string().min(1).max(64) })
  .strict();
