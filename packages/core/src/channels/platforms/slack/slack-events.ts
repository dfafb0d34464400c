import type { InboundAttachment, InboundEvent, InboundRequest } from "../../platform-adapter";
import { withoutMentions } from "./slack-text";

interface SlackFile {
  url_private?: string;
  name?: string;
  mimetype?: string;
}
interface SlackMessageEvent {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel?: string;
  channel_type?: string;
  ts?: string;
  thread_ts?: string;
  /** On a thread reply: who wrote the thread's first message. */
  parent_user_id?: string;
  event_ts?: string;
  files?: SlackFile[];
}

/** What the parser knows of the connection: the bot's own user id (from `auth.test` at connect). */
export interface SlackParseOptions {
  botUserId?: string;
  nowMs?: number;
}

/** Where a Slack conversation continues: the DM channel, or a channel's thread. */
export function slackThreadId(channel: string, threadTs: string | undefined, direct: boolean): string {
  return direct || !threadTs ? channel : `${channel}:${threadTs}`;
}

const isDirect = (channel: string, channelType?: string) =>
  channelType === "im" || channelType === "mpim" || channel.startsWith("D");

/** The body of a Slack request: JSON (Events API) or form-encoded `payload=` (interactivity). */
export function slackBody(request: InboundRequest): Record<string, unknown> {
  const raw = request.rawBody.toString("utf8");
  const type = request.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(raw).get("payload");
    if (payload === null) throw new Error("form body without `payload`");
    return JSON.parse(payload) as Record<string, unknown>;
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

/** Subtypes that are something a person said (a file shared, a reply also sent to the channel). */
const SPOKEN_SUBTYPES = new Set(["file_share", "thread_broadcast"]);

function messageEvent(eventId: string, event: SlackMessageEvent, occurredAtMs: number, botUserId?: string) {
  if (event.bot_id || event.subtype === "bot_message" || (botUserId && event.user === botUserId))
    return { kind: "ignored", eventId, why: "bot" } satisfies InboundEvent;
  if (event.subtype && !SPOKEN_SUBTYPES.has(event.subtype)) {
    return {
      kind: "ignored",
      eventId,
      why:
        event.subtype === "message_changed" || event.subtype === "message_deleted" ? "edit" : "unsupported",
    } satisfies InboundEvent;
  }
  const channel = event.channel ?? "";
  const direct = isDirect(channel, event.channel_type);
  if (!event.user || !channel) return { kind: "ignored", eventId, why: "unsupported" } satisfies InboundEvent;
  // In channels, a message that mentions the bot also arrives as `app_mention` (another event id):
  // the mention is the one answered. Other top-level channel chatter is not addressed to the bot.
  let continuesOnly = false;
  if (event.type === "message" && !direct) {
    const mentionsBot = botUserId !== undefined && (event.text ?? "").includes(`<@${botUserId}>`);
    if (mentionsBot || !event.thread_ts || event.thread_ts === event.ts)
      return { kind: "ignored", eventId, why: "unsupported" } satisfies InboundEvent;
    // A reply in a thread: the bot takes part when the thread is its own (it posted the first
    // message) or when a conversation already runs there (a mention started it); otherwise the
    // thread is people talking among themselves and the event only continues an open conversation.
    continuesOnly = !(botUserId && event.parent_user_id === botUserId);
  }
  const threadTs = event.thread_ts ?? (direct ? undefined : event.ts);
  const attachments: InboundAttachment[] = (event.files ?? []).map((file) => ({
    type: file.mimetype?.startsWith("image/")
      ? "image"
      : file.mimetype?.startsWith("audio/")
        ? "audio"
        : "file",
    ...(file.url_private ? { url: file.url_private } : {}),
    ...(file.name ? { name: file.name } : {}),
    ...(file.mimetype ? { mimeType: file.mimetype } : {}),
  }));
  const text = withoutMentions(event.text ?? "");
  return {
    kind: "message",
    eventId,
    externalUserId: event.user,
    threadId: slackThreadId(channel, threadTs, direct),
    ...(text ? { text } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    replyContext: { channel, ...(threadTs ? { thread_ts: threadTs } : {}) },
    occurredAtMs,
    ...(continuesOnly ? { continuesOnly } : {}),
  } satisfies InboundEvent;
}

interface BlockActionsPayload {
  type: "block_actions";
  trigger_id?: string;
  user?: { id?: string; name?: string; username?: string };
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
  actions?: {
    action_id?: string;
    value?: string;
    text?: { text?: string };
    action_ts?: string;
    url?: string;
  }[];
  response_url?: string;
}

function blockActions(payload: BlockActionsPayload, nowMs: number): InboundEvent[] {
  const action = payload.actions?.[0];
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  const user = payload.user?.id;
  const eventId = `action:${payload.trigger_id ?? `${action?.action_ts}:${user}`}`;
  // A link button only opens its URL; nothing to answer.
  if (!action || action.value === undefined || !channel || !user)
    return [{ kind: "ignored", eventId, why: "unsupported" }];
  const direct = isDirect(channel);
  const threadTs =
    payload.container?.thread_ts ?? payload.message?.thread_ts ?? (direct ? undefined : payload.message?.ts);
  const label = action.text?.text;
  const name = payload.user?.name ?? payload.user?.username;
  return [
    {
      kind: "message",
      eventId,
      externalUserId: user,
      ...(name ? { displayName: name } : {}),
      threadId: slackThreadId(channel, threadTs, direct),
      ...(label ? { text: label } : {}),
      buttonValue: action.value,
      replyContext: { channel, ...(threadTs ? { thread_ts: threadTs } : {}) },
      occurredAtMs: action.action_ts ? Math.round(Number(action.action_ts) * 1000) : nowMs,
    },
  ];
}

/**
 * Normalises a verified Slack request: Events API callbacks (mentions, direct messages, replies in
 * threads the bot takes part in) and `block_actions` clicks; bot messages, edits and other
 * subtypes come back as `ignored`.
 */
export function parseSlackRequest(request: InboundRequest, options: SlackParseOptions = {}): InboundEvent[] {
  const nowMs = options.nowMs ?? Date.now();
  const body = slackBody(request);
  if (body.type === "block_actions") return blockActions(body as unknown as BlockActionsPayload, nowMs);
  if (body.type !== "event_callback") return [];
  const eventId = String(body.event_id ?? "");
  const event = body.event as SlackMessageEvent | undefined;
  if (!eventId || !event) return [];
  const occurredAtMs = typeof body.event_time === "number" ? body.event_time * 1000 : nowMs;
  if (event.type === "message" || event.type === "app_mention")
    return [messageEvent(eventId, event, occurredAtMs, options.botUserId)];
  return [{ kind: "ignored", eventId, why: "unsupported" }];
}
