import type { OutgoingMessage } from "@parley/contract";
import type { z } from "zod";

/**
 * The seam between the channel framework (connect, ingest, queue, deliver: `channels/*.ts`) and one
 * messaging platform (`channels/platforms/<type>/`). An adapter is pure protocol: it verifies,
 * normalises and renders; it never touches the database or the queue, and every network call goes
 * through the {@link PlatformHttp} it is handed (the guarded outbound client).
 *
 * @example
 * const adapter = platformAdapters.slack;
 * const check = await adapter.verify(request, connection, Date.now(), guardedFetch);
 * if (!check.ok) return problem(check.status, check.reason);
 * const events = adapter.parse(request, connection);
 */
export interface PlatformAdapter<Credentials = unknown, Settings = unknown> {
  /** The channel type, as the REST API names it. */
  readonly type: PlatformType;
  /** Credentials as a tenant types them; stored only as vault ciphertext. */
  readonly credentialsSchema: z.ZodType<Credentials>;
  /** Non-secret settings, returned by the API. */
  readonly settingsSchema: z.ZodType<Settings>;
  /**
   * Answers a platform's handshake without running a turn (Meta's `GET hub.mode=subscribe`, Slack's
   * `url_verification`), after {@link verify} when the handshake is signed; `null` when the request
   * is not a handshake.
   */
  handshake(
    request: InboundRequest,
    connection: PlatformConnection<Credentials, Settings>,
  ): HandshakeAnswer | null;
  /**
   * Checks the request's authenticity on its raw bytes, before anything is parsed or stored; a
   * check that needs the network (Teams' OpenID metadata and JWKS) uses `http`, the guarded client.
   */
  verify(
    request: InboundRequest,
    connection: PlatformConnection<Credentials, Settings>,
    nowMs: number,
    http: PlatformHttp,
  ): Promise<VerifyResult>;
  /** The events of one verified request, normalised; delivery receipts and echoes come back as `status`/`ignored`. */
  parse(request: InboundRequest, connection: PlatformConnection<Credentials, Settings>): InboundEvent[];
  /** The platform calls that show a turn's messages in the best native form, in order. */
  render(
    messages: OutgoingMessage[],
    target: ReplyTarget,
    connection: PlatformConnection<Credentials, Settings>,
  ): OutboundCall[];
  /** Performs one rendered call; never throws for an HTTP answer, only reports it. */
  send(
    call: OutboundCall,
    connection: PlatformConnection<Credentials, Settings>,
    http: PlatformHttp,
  ): Promise<SendResult>;
  /**
   * Downloads a file the platform holds (an inbound attachment) with the connection's credentials,
   * for the runtime's file route, when the platform's own download URL would expose a credential
   * (Telegram's holds the bot token): stored attachments link to that route instead. `signature`
   * is the link's proof (see `shared/file-links.ts`); a wrong one answers `not_found`.
   */
  fetchFile?(
    ref: string,
    signature: string,
    connection: PlatformConnection<Credentials, Settings>,
    http: PlatformHttp,
  ): Promise<PlatformFile>;
  /** Run when the channel is created or its credentials change (Telegram `setWebhook`, token checks). */
  connect?(
    webhookUrl: string,
    connection: PlatformConnection<Credentials, Settings>,
    http: PlatformHttp,
  ): Promise<ConnectResult>;
}

/** Platforms a bot can be connected to. */
export type PlatformType = "whatsapp" | "messenger" | "slack" | "teams" | "telegram";

/** A stored channel, decrypted for the adapter. */
export interface PlatformConnection<Credentials, Settings> {
  channelId: string;
  credentials: Credentials;
  settings: Settings;
  /** The URL the platform calls (built from RUNTIME_PUBLIC_URL). */
  webhookUrl: string;
}

/** An inbound webhook request as received, with the exact bytes the platform signed. */
export interface InboundRequest {
  method: "GET" | "POST";
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

/** A handshake's answer: status, body and its content type. */
export interface HandshakeAnswer {
  status: number;
  body: string;
  contentType: "text/plain" | "application/json";
}

/** The verdict on a request's authenticity; a failure stores nothing. */
export type VerifyResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** One normalised inbound event. */
export type InboundEvent =
  | InboundMessageEvent
  | {
      kind: "status";
      eventId: string;
      platformMessageId: string;
      status: "sent" | "delivered" | "read" | "failed";
      error?: string;
    }
  | { kind: "ignored"; eventId: string; why: "echo" | "edit" | "unsupported" | "bot" };

/** Something a person said or clicked on the platform. */
export interface InboundMessageEvent {
  kind: "message";
  /** The platform's id for de-duplicating retries (Slack event_id, WhatsApp message id, Telegram update_id, Teams activity id). */
  eventId: string;
  /** The sender on the platform (phone number, Slack user, PSID, Telegram user id, Teams AAD object id). */
  externalUserId: string;
  displayName?: string;
  /**
   * What the platform verified about the sender (WhatsApp: the phone number it delivered from): links
   * the sender to the same person's contact on other channels (see contactFor). Never user-typed text.
   */
  verified?: { phone?: string; email?: string };
  /** Where the conversation continues (Slack channel+thread, chat id, Teams conversation id). */
  threadId: string;
  /** Typed text, or the label of the clicked button. */
  text?: string;
  /** A clicked button's value (what the flow receives as the answer). */
  buttonValue?: string;
  attachments?: InboundAttachment[];
  /** What a reply needs besides the thread (Teams serviceUrl, Slack channel, Telegram chat id...). */
  replyContext: Record<string, string>;
  occurredAtMs: number;
  /**
   * Only continues a conversation already open on this thread, never starts one (a Slack reply in
   * a channel thread: addressed to the bot only when the bot's conversation runs there).
   */
  continuesOnly?: boolean;
}

/** Media that came with an inbound message. */
export interface InboundAttachment {
  type: "image" | "file" | "audio" | "video" | "location";
  url?: string;
  name?: string;
  mimeType?: string;
  latitude?: number;
  longitude?: number;
}

/** Where a reply goes: the conversation's thread and the reply context its last inbound event gave. */
export interface ReplyTarget {
  threadId: string;
  externalUserId: string;
  replyContext: Record<string, string>;
}

/** One platform API call, serialisable so it can wait in the job queue. */
export interface OutboundCall {
  /** What it shows, for the transcript's delivery status ("text", "buttons", "typing", "template"...). */
  kind: string;
  method: "POST" | "GET" | "PUT";
  /** Relative to the connection's API URL, or absolute (Teams serviceUrl). */
  url: string;
  body: unknown;
}

/** The outcome of one call: delivered, retry later, or given up. */
export type SendResult =
  | { ok: true; platformMessageId?: string }
  | { ok: false; retryable: true; retryAfterMs?: number; error: string }
  | { ok: false; retryable: false; error: string };

/** A platform file as {@link PlatformAdapter.fetchFile} streams it, or why not. */
export type PlatformFile =
  | {
      ok: true;
      body: ReadableStream<Uint8Array>;
      contentType: string;
      contentLength?: number;
      /** The file's name, when the platform gives one. */
      name?: string;
    }
  | { ok: false; reason: "not_found" | "unavailable"; error: string };

/** The outcome of {@link PlatformAdapter.connect}. */
export type ConnectResult = { ok: true; settings?: Record<string, unknown> } | { ok: false; error: string };

/** The guarded outbound fetch adapters must use. */
export type PlatformHttp = typeof globalThis.fetch;
