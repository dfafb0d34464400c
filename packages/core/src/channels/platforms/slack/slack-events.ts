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
  event_ts?: string;
  files?: SlackFile[];
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

function messageEvent(eventId: string, event: SlackMessageEvent, occurredAtMs: number): InboundEvent {
  if (event.bot_id || event.subtype === "bot_message") return { kind: "ignored", eventId, why: "bot" };
  if (event.subtype && event.subtype !== "file_share" && event.subtype !== "thread_broadcast") {
    return {
      kind: "ignored",
      eventId,
      why:
        event.subtype === "message_changed" || event.subtype === "message_deleted" ? "edit" : "unsupported",
    };
  }
  const channel = event.channel ?? "";
  const direct = isDirect(channel, event.channel_type);
  // In channels the bot answers when mentioned (`app_mention`); the same message's `message` event is noise.
  if (event.type === "message" && !direct) return { kind: "ignored", eventId, why: "unsupported" };
  if (!event.user || !channel) return { kind: "ignored", eventId, why: "unsupported" };
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
  };
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

/** Normalises a verified Slack request: Events API callbacks and `block_actions` clicks. */
export function parseSlackRequest(request: InboundRequest, nowMs = Date.now()): InboundEvent[] {
  const body = slackBody(request);
  if (body.type === "block_actions") return blockActions(body as unknown as BlockActionsPayload, nowMs);
  if (body.type !== "event_callback") return [];
  const eventId = String(body.event_id ?? "");
  const event = body.event as SlackMessageEvent | undefined;
  if (!eventId || !event) return [];
  const occurredAtMs = typeof body.event_time === "number" ? body.event_time * 1000 : nowMs;
  if (event.type === "message" || event.type === "app_mention")
    return [messageEvent(eventId, event, occurredAtMs)];
  return [{ kind: "ignored", eventId, why: "unsupported" }];
}
