import { ApiError, errorFromResponse } from "./api-error";
import { readSse } from "./sse";
import type {
  ConversationStatus,
  CreateConversationResponse,
  SendMessageRequest,
  TranscriptEntry,
  TranscriptResponse,
  TurnResponse,
  TurnStreamEvent,
  WidgetConfig,
} from "./types";

/** Where the API is and who we are. */
export interface ApiOptions {
  /** Base URL of the runtime, e.g. `https://chat.example.com`. */
  readonly runtimeUrl: string;
  readonly botId: string;
  /** The bot's publishable key (`pk_...`). */
  readonly publishableKey: string;
  /** Injected in tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The conversation API v1 as the widget uses it. */
export interface ConversationApi {
  /** `GET /api/v1/widget/bots/{botId}/config`; `undefined` when the runtime has none for this bot. */
  getConfig(signal?: AbortSignal): Promise<WidgetConfig | undefined>;
  /**
   * `POST /api/v1/bots/{botId}/conversations` (a `web` conversation). `identityToken`: the
   * server-signed visitor identity token, when the site vouches for the visitor; `visitorId`: the
   * browser's stable anonymous visitor id (keeps it in one experiment variant).
   */
  createConversation(
    variables: Record<string, unknown>,
    options?: { identityToken?: string | undefined; visitorId?: string | undefined },
  ): Promise<CreateConversationResponse>;
  /**
   * `POST /api/v1/conversations/{id}/messages` asking for an SSE stream; `onEvent` sees each
   * message and token as it arrives. Resolves with the turn's final response. Only the `done`
   * event acknowledges the message (the runtime has committed it): a stream that ends without
   * `done` rejects with a retryable ApiError (status 0), and the caller resends with the same
   * `clientMessageId` (processed at most once).
   */
  sendMessage(
    conversationId: string,
    body: SendMessageRequest,
    onEvent: (event: TurnStreamEvent) => void,
  ): Promise<TurnResponse>;
  /** `GET /api/v1/conversations/{id}`. */
  getTranscript(conversationId: string): Promise<TranscriptResponse>;
  /**
   * Follows `GET /api/v1/conversations/{id}/events` with the browser's EventSource (it reconnects
   * by itself with Last-Event-ID). Undefined where EventSource does not exist. Returns the close function.
   */
  openEvents?(conversationId: string, lastEventId: number | undefined, handlers: EventHandlers): () => void;
  /** `POST /api/v1/conversations/{id}/csat`. */
  submitCsat?(conversationId: string, score: number, comment: string | undefined): Promise<void>;
  /** `POST /api/v1/conversations/{id}/typing` (best effort). */
  reportTyping?(conversationId: string): Promise<void>;
}

/** What the conversation's event stream tells the session. */
export interface EventHandlers {
  entry(entry: TranscriptEntry): void;
  status(status: ConversationStatus): void;
  /** The stream gave up (the browser stopped reconnecting): fall back to polling. */
  failed(): void;
}

/** Creates the API client. Every request carries the publishable key; failures become ApiError. */
export function createConversationApi(options: ApiOptions): ConversationApi {
  const base = options.runtimeUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers = { authorization: `Bearer ${options.publishableKey}` };

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        ...init,
        headers: { ...headers, ...(init.headers as Record<string, string>) },
        credentials: "omit",
      });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new ApiError("network error", { status: 0 });
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async function json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await request(path, init);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError("response cut short", { status: 0 });
    }
  }

  const encodedBot = encodeURIComponent(options.botId);
  return {
    async getConfig(signal) {
      try {
        return await json<WidgetConfig>(`/api/v1/widget/bots/${encodedBot}/config`, signal ? { signal } : {});
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    createConversation(variables, start = {}) {
      return json<CreateConversationResponse>(`/api/v1/bots/${encodedBot}/conversations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          channel: "web",
          variables,
          ...(start.identityToken ? { identityToken: start.identityToken } : {}),
          ...(start.visitorId ? { visitorId: start.visitorId } : {}),
        }),
      });
    },
    async sendMessage(conversationId, body, onEvent) {
      const response = await request(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify(body),
      });
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("text/event-stream") || !response.body) {
        // A server that does not stream answers with the same turn as JSON.
        const turn = (await response.json()) as TurnResponse;
        for (const message of turn.messages) onEvent({ event: "message", data: message });
        onEvent({ event: "done", data: turn });
        return turn;
      }
      try {
        for await (const raw of readSse(response.body)) {
          const event = { event: raw.event, data: JSON.parse(raw.data) } as TurnStreamEvent;
          if (event.event === "error") {
            throw new ApiError(event.data.detail ?? event.data.title, {
              status: event.data.status,
              problem: event.data,
            });
          }
          onEvent(event);
          if (event.event === "done") return event.data;
        }
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError("stream interrupted", { status: 0 });
      }
      throw new ApiError("stream ended before the turn was done", { status: 0 });
    },
    getTranscript(conversationId) {
      return json<TranscriptResponse>(`/api/v1/conversations/${encodeURIComponent(conversationId)}`);
    },
    ...(typeof EventSource === "undefined"
      ? {}
      : {
          openEvents(conversationId: string, lastEventId: number | undefined, handlers: EventHandlers) {
            // EventSource cannot send headers: the publishable key (public by design) goes in the URL.
            const query = new URLSearchParams({ access_token: options.publishableKey });
            if (lastEventId !== undefined && lastEventId >= 0) query.set("lastEventId", String(lastEventId));
            const source = new EventSource(
              `${base}/api/v1/conversations/${encodeURIComponent(conversationId)}/events?${query}`,
            );
            source.addEventListener("message", (event) => {
              try {
                handlers.entry(JSON.parse((event as MessageEvent<string>).data) as TranscriptEntry);
              } catch {
                // A malformed event is skipped; the next one carries on.
              }
            });
            source.addEventListener("status", (event) => {
              try {
                handlers.status(
                  (JSON.parse((event as MessageEvent<string>).data) as { status: ConversationStatus }).status,
                );
              } catch {
                // as above
              }
            });
            source.onerror = () => {
              if (source.readyState === EventSource.CLOSED) handlers.failed();
            };
            return () => source.close();
          },
        }),
    async submitCsat(conversationId, score, comment) {
      await request(`/api/v1/conversations/${encodeURIComponent(conversationId)}/csat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ score, ...(comment ? { comment } : {}) }),
      });
    },
    async reportTyping(conversationId) {
      await request(`/api/v1/conversations/${encodeURIComponent(conversationId)}/typing`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ typing: true }),
      }).catch(() => undefined);
    },
  };
}
