import { randomBytes } from "node:crypto";
import { type CreatedWebhook, createWebhookInputSchema, type WebhookView } from "@parley/contract";
import type { WebhookEndpoint } from "@parley/db";
import { type JobContext, OutboundHttpError, PermanentJobError, secretBinding } from "@parley/infra";
import { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type CoreDeps, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid, newId } from "../internal/ids";
import { SIGNATURE_HEADER, signWebhook } from "./signature";

/** Queue that delivers webhooks. */
export const WEBHOOK_QUEUE = "webhooks";

const toView = (endpoint: WebhookEndpoint): WebhookView => ({
  id: endpoint.id,
  url: endpoint.url,
  events: endpoint.events,
  description: endpoint.description,
  enabled: endpoint.enabled,
  createdAt: endpoint.createdAt.toISOString(),
});

function vaultOf(deps: CoreDeps) {
  if (!deps.vault)
    throw new ServiceError("unavailable", "vault-unavailable", "the secrets vault is not configured");
  return deps.vault;
}

/**
 * Subscribes a URL to events. Returns the signing secret once (`whsec_...`); it is stored encrypted.
 * Needs `webhooks:manage`.
 */
export async function createWebhookEndpoint(
  ctx: ServiceContext,
  input: z.input<typeof createWebhookInputSchema>,
): Promise<CreatedWebhook> {
  authorize(ctx, "webhooks:manage");
  const data = parseInput(createWebhookInputSchema, input, "webhook");
  const vault = vaultOf(ctx.deps);
  const id = newId();
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const ciphertext = vault.encrypt(
    secret,
    secretBinding({ tenantId: ctx.tenantId, table: "webhook_endpoints", rowId: id, field: "secret" }),
  );
  const keyId = ciphertext.split(".")[1] ?? "";
  const webhook = await tenantDb(ctx).$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        id,
        tenantId: ctx.tenantId,
        url: data.url,
        events: [...new Set(data.events)],
        description: data.description ?? "",
        secretCiphertext: ciphertext,
        secretKeyId: keyId,
      },
    });
    const view = toView(endpoint);
    await recordAudit(tx, ctx, {
      action: "webhook.create",
      targetType: "webhook",
      targetId: id,
      after: view,
    });
    return view;
  });
  return { webhook, secret };
}

/** The tenant's webhook subscriptions. Needs `webhooks:manage`. */
export async function listWebhookEndpoints(ctx: ServiceContext): Promise<WebhookView[]> {
  authorize(ctx, "webhooks:manage");
  return (await tenantDb(ctx).webhookEndpoint.findMany({ orderBy: { createdAt: "desc" } })).map(toView);
}

/** Deletes a subscription (pending deliveries go with it). Needs `webhooks:manage`. */
export async function deleteWebhookEndpoint(ctx: ServiceContext, webhookId: string): Promise<void> {
  authorize(ctx, "webhooks:manage");
  const db = tenantDb(ctx);
  const existing = isUuid(webhookId)
    ? await db.webhookEndpoint.findFirst({ where: { id: webhookId } })
    : null;
  if (!existing) throw notFound("webhook", webhookId);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: webhookId } });
    await recordAudit(tx, ctx, {
      action: "webhook.delete",
      targetType: "webhook",
      targetId: webhookId,
      before: toView(existing),
    });
  });
}

/**
 * Enqueues recorded deliveries (idempotent: the job id is the delivery id). Deliveries are recorded
 * from the event stream by the relay's webhook group (see webhook-consumer), never by a turn directly.
 */
export async function enqueueWebhookDeliveries(
  deps: CoreDeps,
  tenantId: string,
  deliveryIds: readonly string[],
): Promise<void> {
  for (const deliveryId of deliveryIds) {
    await deps.infra.queue.add(
      WEBHOOK_QUEUE,
      { tenantId, deliveryId },
      { jobId: `webhook:${deliveryId}`, attempts: 8, backoff: { type: "exponential", delayMs: 2_000 } },
    );
  }
}

/**
 * Re-enqueues deliveries that were committed but never attempted (a crash between the relay's
 * commit and the enqueue): pending for over 30 s with no attempt. Job ids make it a no-op for queued ones.
 * Returns how many it re-enqueued; at most `limit` per call.
 */
export async function recoverWebhookDeliveries(deps: CoreDeps, limit = 500): Promise<number> {
  const now = deps.clock?.now() ?? Date.now();
  const pending = await deps.db.system.webhookDelivery.findMany({
    where: { status: "pending", createdAt: { lt: new Date(now - 30_000) }, attempts: 0 },
    select: { id: true, tenantId: true },
    take: limit,
  });
  for (const delivery of pending) await enqueueWebhookDeliveries(deps, delivery.tenantId, [delivery.id]);
  return pending.length;
}

/** Payload of a webhook job. */
export const webhookJobSchema = z.object({ tenantId: z.string().min(1), deliveryId: z.string().min(1) });

/**
 * Job handler of the `webhooks` queue: signs and POSTs one delivery through the guarded client.
 * 2xx marks it delivered; 408, 429, 5xx and network errors retry with backoff; other 4xx and
 * refused destinations fail permanently.
 */
export async function deliverWebhook(deps: CoreDeps, job: JobContext): Promise<void> {
  const { tenantId, deliveryId } = webhookJobSchema.parse(job.data);
  const db = deps.db.forTenant(tenantId);
  const delivery = await db.webhookDelivery.findFirst({
    where: { id: deliveryId },
    include: { endpoint: true },
  });
  if (!delivery || delivery.status === "delivered") return;
  if (!deps.http) throw new PermanentJobError("no outbound HTTP client is configured");
  const secret = vaultOf(deps).decrypt(
    delivery.endpoint.secretCiphertext,
    secretBinding({ tenantId, table: "webhook_endpoints", rowId: delivery.endpointId, field: "secret" }),
  );
  const body = JSON.stringify(delivery.payload);
  const now = deps.clock?.now() ?? Date.now();
  const attempt = { attempts: { increment: 1 }, lastAttemptAt: new Date(now) };
  let status: number;
  try {
    const response = await deps.http.request({
      method: "POST",
      url: delivery.endpoint.url,
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(now / 1000)),
        "parley-event-id": String(delivery.eventId),
        "parley-event-type": delivery.eventType,
      },
      body,
    });
    status = response.status;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent =
      error instanceof OutboundHttpError && ["BLOCKED_DESTINATION", "INVALID_URL"].includes(error.code);
    const final = permanent || job.attempt >= job.maxAttempts;
    await db.webhookDelivery.update({
      where: { id: deliveryId },
      data: { ...attempt, lastError: message.slice(0, 500), status: final ? "failed" : "pending" },
    });
    if (permanent) throw new PermanentJobError(message, { cause: error });
    throw error;
  }
  if (status >= 200 && status < 300) {
    await db.webhookDelivery.update({
      where: { id: deliveryId },
      data: {
        ...attempt,
        status: "delivered",
        responseStatus: status,
        deliveredAt: new Date(now),
        lastError: null,
      },
    });
    return;
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const final = !retryable || job.attempt >= job.maxAttempts;
  await db.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      ...attempt,
      status: final ? "failed" : "pending",
      responseStatus: status,
      lastError: `HTTP ${status}`,
    },
  });
  const message = `the endpoint answered HTTP ${status}`;
  if (!retryable) throw new PermanentJobError(message);
  throw new Error(message);
}
