import { z } from "zod";

/** Event types a tenant can subscribe to. */
export const webhookEventTypeSchema = z.enum([
  "conversation.started",
  "conversation.ended",
  "handoff.requested",
  "message",
]);
/** An event type a tenant can subscribe to. */
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** `POST /api/v1/webhooks` body; input of core's `createWebhookEndpoint`. */
export const createWebhookInputSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2_000),
    events: z.array(webhookEventTypeSchema).min(1),
    description: z.string().max(500).optional(),
  })
  .strict();

/** A webhook subscription as the API returns it (never the secret, except once at creation). */
export const webhookViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
});
/** A webhook subscription as the API returns it. */
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** `POST /api/v1/webhooks` 201 response: the signing secret appears here once, never again. */
export const createdWebhookSchema = z.object({ webhook: webhookViewSchema, secret: z.string() });
/** `POST /api/v1/webhooks` 201 response. */
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;
