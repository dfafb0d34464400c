import type { ConversationEvent } from "@parley/contract";
import {
  assertMfaSatisfied,
  membershipRole,
  openConversationEvents,
  resolveSession,
  roleAllows,
  type ServiceContext,
  ServiceError,
} from "@parley/core";
import { sessionTokenFromCookieHeader } from "@/server/auth/sessions";
import { studioServices } from "@/server/services-factory";

/** The inbox's live chat pane: the same event stream as the runtime's REST endpoint, for the signed-in member. */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

const problem = (status: number, detail: string) =>
  new Response(JSON.stringify({ type: "about:blank", title: detail, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

/**
 * `GET /api/conversations/{id}/events`: server-sent events of one conversation (messages with
 * `id:` = seq, status, typing, notes) for a member with `conversations:read` in the active
 * workspace. `Last-Event-ID` (EventSource reconnects) or `?lastEventId=` resumes without gaps.
 */
export async function GET(request: Request, context: { params: Promise<{ conversationId: string }> }) {
  const { conversationId } = await context.params;
  const services = await studioServices();
  const auth = await resolveSession(
    services.core,
    sessionTokenFromCookieHeader(request.headers.get("cookie")),
    services.now(),
  );
  if (!auth) return problem(401, "Sign in to continue.");
  const tenantId = auth.activeTenantId;
  if (!tenantId) return problem(412, "Choose a workspace first.");
  const role = await membershipRole(services.core, tenantId, auth.user.id);
  if (!role || !roleAllows(role, "conversations:read"))
    return problem(403, "Your role does not allow conversations:read.");
  try {
    await assertMfaSatisfied(services.core, tenantId, auth.user.id);
  } catch {
    return problem(403, "This workspace requires multi-factor sign-in.");
  }
  const ctx: ServiceContext = {
    deps: services.core,
    tenantId,
    actor: { type: "user", userId: auth.user.id, role, label: auth.user.email },
  };
  const url = new URL(request.url);
  const header = request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId");
  const lastEventId = header && /^\d+$/.test(header) ? Number(header) : undefined;
  const abort = new AbortController();
  request.signal.addEventListener("abort", () => abort.abort());
  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const write = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      closed = true;
    }
  };
  const finish = () => {
    if (heartbeat) clearInterval(heartbeat);
    abort.abort();
    if (closed) return;
    closed = true;
    try {
      controller.close();
    } catch {
      // already closed by the client
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      write(": stream open\n\n");
      heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
    },
    cancel: finish,
  });
  try {
    await openConversationEvents(
      ctx,
      conversationId,
      { signal: abort.signal, ...(lastEventId === undefined ? {} : { lastEventId }) },
      {
        send(event: ConversationEvent, id?: number) {
          write(
            `${id === undefined ? "" : `id: ${id}\n`}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`,
          );
        },
        close: finish,
      },
    );
  } catch (error) {
    finish();
    if (error instanceof ServiceError && error.kind === "not_found") return problem(404, error.message);
    if (error instanceof ServiceError && error.kind === "forbidden") return problem(403, error.message);
    throw error;
  }
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
