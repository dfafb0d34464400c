import type { CoreDeps } from "../context";
import { newId } from "../internal/ids";
import { type LiveChannel, liveChannel } from "./channel-cache";
import { platformHttp } from "./channel-connection";
import { recordChannelOutcome } from "./channel-status";
import { enqueueInboundEvent } from "./inbound-queue";
import { runInboundLocally } from "./inbound-turn";
import type { InboundEvent, InboundMessageEvent, InboundRequest } from "./platform-adapter";

/** What the webhook endpoint answers the platform. */
export interface WebhookAnswer {
  status: number;
  body: string;
  contentType: "text/plain" | "application/json";
  /** With a 503: when the platform may send the event again (the `Retry-After` header), in seconds. */
  retryAfterSeconds?: number;
}

/** How long a platform is asked to wait before resending an event this process could not store. */
const BUSY_RETRY_AFTER_SECONDS = 5;

const answer = (status: number, body = "", contentType: WebhookAnswer["contentType"] = "text/plain") => ({
  status,
  body,
  contentType,
});

/**
 * The answer when the database could not be reached for an event: the platform keeps the event and
 * sends it again, so this is "try later" (503 with Retry-After), never a 500.
 */
function busy(deps: CoreDeps, channelId: string, error: unknown): WebhookAnswer {
  deps.logger?.warn(
    { channelId, error: String(error) },
    "channel event not stored; the platform is asked to retry",
  );
  return { ...answer(503, "busy: send this event again later"), retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
}

/** Stands in when the process has no outbound client: a check that needs the network fails, others run. */
const noOutboundHttp: typeof fetch = () =>
  Promise.reject(new Error("this process has no outbound HTTP client to fetch verification keys"));

/**
 * The single endpoint a platform calls for channel `channelId`: verifies the request on its raw
 * bytes (a failed check answers 401/403 and stores nothing), answers handshakes (Meta's GET
 * challenge before verification, Slack's signed `url_verification` after), stores each new
 * message event once (a platform's retry of the same event id stores nothing), queues the turn and
 * answers 200 at once: turns and replies run from the job queue.
 */
export async function receiveChannelWebhook(
  deps: CoreDeps,
  channelId: string,
  request: InboundRequest,
): Promise<WebhookAnswer> {
  let channel: LiveChannel | null;
  try {
    channel = await liveChannel(deps, channelId);
  } catch (error) {
    // Its configuration could not be read (read once per process; the database is away or busy).
    return busy(deps, channelId, error);
  }
  if (!channel) return answer(404, "unknown channel");
  const { adapter, connection } = channel;
  if (request.method === "GET") {
    const handshake = adapter.handshake(request, connection);
    return handshake ?? answer(405, "this channel's webhook takes POST requests");
  }
  // Most checks are offline (HMACs, a shared token); Teams' JWKS is fetched through this client.
  const http = deps.http ? platformHttp(deps) : noOutboundHttp;
  const verdict = await adapter.verify(request, connection, deps.clock?.now() ?? Date.now(), http);
  if (!verdict.ok) return answer(verdict.status, verdict.reason);
  const handshake = adapter.handshake(request, connection);
  if (handshake) return handshake;
  if (!channel.row.enabled) return answer(403, "this channel is disabled");
  let events: InboundEvent[];
  try {
    events = adapter.parse(request, connection);
  } catch (error) {
    return answer(400, `unreadable ${channel.type} event: ${error instanceof Error ? error.message : error}`);
  }
  const messages = events.filter((event): event is InboundMessageEvent => event.kind === "message");
  if (messages.length > 0) {
    // One INSERT ... ON CONFLICT DO NOTHING in one round trip, under the verified channel's tenant:
    // stored (durable) before the 200, and a platform's retry of the same event id stores nothing.
    let stored: { id: string; threadId: string }[];
    try {
      stored = await deps.db.channelStore(channel.row.tenantId).storeInbound(
        channel.row.id,
        messages.map((event) => ({
          id: newId(),
          eventId: event.eventId,
          threadId: event.threadId,
          payload: event,
        })),
      );
    } catch (error) {
      // Not stored (the database is away or every connection is busy past its wait).
      return busy(deps, channel.row.id, error);
    }
    // Each new event's thread runs at once in this process when it serves the channel queues (no
    // queue round trip before the 200), else it is queued.
    const queued: Promise<void>[] = [];
    for (const row of stored) {
      const job = {
        tenantId: channel.row.tenantId,
        channelId: channel.row.id,
        threadId: row.threadId,
        eventRowId: row.id,
      };
      if (!runInboundLocally(deps, job)) queued.push(enqueueInboundEvent(deps, job));
    }
    await Promise.all(queued);
    // Status only (written at most once a second, on the main pool, logged when it fails): the
    // platform's 200 does not wait for it, as it would wait for a connection behind the turns.
    void recordChannelOutcome(deps, channel.row.id, { kind: "inbound" });
  }
  for (const event of events) {
    if (event.kind === "status" && event.status === "failed") {
      await recordChannelOutcome(deps, channel.row.id, {
        kind: "error",
        error: `the platform reports message ${event.platformMessageId} failed${event.error ? `: ${event.error}` : ""}`,
      });
    }
  }
  return answer(200, "ok");
}
