import { z } from "zod";

/**
 * Path parameters made of one resource id, typed by name so handlers read `params.botId` as a string.
 *
 * @example
 * const keyParams = idParamsSchema("keyId", "The key's id"); // { keyId: string }
 */
export function idParamsSchema<const Name extends string>(name: Name, description: string) {
  const shape = { [name]: z.string().min(1).max(100).describe(description) } as Record<Name, z.ZodString>;
  return z.object(shape).strict();
}

/** `{botId}` in a path. */
export const botIdParamsSchema = idParamsSchema("botId", "The bot's id");
/** `{flowId}` in a path. */
export const flowIdParamsSchema = idParamsSchema("flowId", "The flow's id");
/** `{conversationId}` in a path. */
export const conversationIdParamsSchema = idParamsSchema("conversationId", "The conversation's id");
/** `{integrationId}` in a path. */
export const integrationIdParamsSchema = idParamsSchema("integrationId", "The integration's id");
/** `{keyId}` in a path. */
export const apiKeyIdParamsSchema = idParamsSchema("keyId", "The key's id");
/** `{webhookId}` in a path. */
export const webhookIdParamsSchema = idParamsSchema("webhookId", "The subscription's id");
