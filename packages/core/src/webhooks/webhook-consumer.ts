import { eventSchemas, type WebhookEventType } from "@parley/contract";
import type { OutboxEvent, OutboxHandler, OutboxTx } from "@parley/db";
import type { CoreDeps } from "../context";
import { enqueueWebhookDeliveries } from "./webhooks";

/** The consumer group of tenant webhooks on the outbox relay. */
export const WEBHOOK_GROUP = "parley.webhooks";

/** The topics tenant webhooks are made from. */
export const WEBHOOK_TOPICS = [
  "message.inbound.v1",
  "message.outbound.v1",
  "conversation.events.v1",
] as const;

/** A webhook event: its type (what endpoints subscribe to) and the signed body as delivered. */
export interface WebhookEventOf {
  type: WebhookEventType;
  payload: { id: string; type: WebhookEventType; occurredAt: string; data: Record<string, unknown> };
}

/**
 * The webhook event a stream event becomes, or null for events no webhook reports (resumed,
 * assignment changes, other topics). The body keeps the webhook API's shape
 * (`{ id, type, occurredAt, data: { conversationId, botId, ... } }`); its `id` is the stream event's id,
 * so a delivery can be matched with the event. Throws when the event is not valid for its topic.
 */
export function webhookEventOf(event: Pick<OutboxEvent, "topic" | "payload">): WebhookEventOf | null {
  const of = (type: WebhookEventType, id: string, occurredAt: string, data: Record<string, unknown>) => ({
    type,
    payload: { id, type, occurredAt, data },
  });
  if (event.topic === "message.inbound.v1" || event.topic === "message.outbound.v1") {
    const message = eventSchemas[event.topic].parse(event.payload);
    return of("message", message.id, message.occurredAt, {
      conversationId: message.conversationId,
      botId: message.botId,
      seq: message.data.seq,
      author: message.data.author,
      message: message.data.payload,
    });
  }
  if (event.topic !== "conversation.events.v1") return null;
  const lifecycle = eventSchemas["conversation.events.v1"].parse(event.payload);
  const base = { conversationId: lifecycle.conversationId, botId: lifecycle.botId };
  switch (lifecycle.type) {
    case "conversation.started":
      return of("conversation.started", lifecycle.id, lifecycle.occurredAt, {
        ...base,
        channel: lifecycle.data.channel,
      });
    case "conversation.handoff":
      return of("handoff.requested", lifecycle.id, lifecycle.occurredAt, {
        ...base,
        handoff: lifecycle.data.handoff ?? null,
      });
    case "conversation.ended":
      return of("conversation.ended", lifecycle.id, lifecycle.occurredAt, base);
    default:
      return null;
  }
}

/** Per group transaction (one relay batch): each tenant's subscribed webhook types, read once. */
const subscribedByBatch = new WeakMap<OutboxTx, Map<string, Promise<ReadonlySet<string>>>>();

/**
 * The webhook types some enabled endpoint of `tenantId` subscribes to, read once per relay batch (its
 * transaction `tx`) and tenant: most events belong to tenants with no endpoint for them, and an insert
 * that finds no endpoint still cost a statement (and the event's JSON parsed as its parameter) per
 * event, on the database the turns share.
 */
function subscribedTypes(tx: OutboxTx, tenantId: string): Promise<ReadonlySet<string>> {
  let tenants = subscribedByBatch.get(tx);
  if (!tenants) {
    tenants = new Map();
    subscribedByBatch.set(tx, tenants);
  }
  let types = tenants.get(tenantId);
  if (!types) {
    types = tx
      .query<{ type: string }>(
        "SELECT DISTINCT unnest(events) AS type FROM webhook_endpoints WHERE tenant_id = $1 AND enabled",
        [tenantId],
      )
      .then((result) => new Set(result.rows.map((row) => row.type)));
    tenants.set(tenantId, types);
    // A failed read (its savepoint rolled back) is not kept: the next event reads again.
    const kept = types;
    types.catch(() => {
      if (tenants?.get(tenantId) === kept) tenants.delete(tenantId);
    });
  }
  return types;
}

/**
 * The handler of the {@link WEBHOOK_GROUP} group: records one delivery per enabled endpoint of the
 * event's tenant subscribed to its webhook type, in the relay's transaction (so deliveries commit
 * with the group's offset: exactly once per event, even across crashes; the unique
 * (endpoint, event) index makes a repeat a no-op besides), then queues them once committed. A crash
 * between that commit and the queue is repaired by recoverWebhookDeliveries (the sweep). The
 * endpoints are read once per batch and tenant (see subscribedTypes): an event no endpoint wants
 * costs no statement.
 */
export function webhookDeliveryHandler(deps: CoreDeps): OutboxHandler {
  return async (event, tx) => {
    const hook = webhookEventOf(event);
    if (!hook) return;
    if (!(await subscribedTypes(tx, event.tenantId)).has(hook.type)) return;
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload, next_attempt_at)
       SELECT gen_random_uuid()::text, $1, e.id, $2, $3, $4::jsonb, $5::timestamptz
       FROM webhook_endpoints e
       WHERE e.tenant_id = $1 AND e.enabled AND $3 = ANY(e.events)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [event.tenantId, hook.payload.id, hook.type, JSON.stringify(hook.payload), hook.payload.occurredAt],
    );
    if (rows.length === 0) return;
    const deliveryIds = rows.map((row) => row.id);
    tx.afterCommit(() => enqueueWebhookDeliveries(deps, event.tenantId, deliveryIds));
  };
}
