import type { InboundAttachment, InboundEvent, InboundRequest } from "../../platform-adapter";

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value !== null && typeof value === "object" ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Keys of the `data` an Adaptive Card submit button carries (rendered by {@link renderTeams}). */
export const TEAMS_SUBMIT_DATA = { value: "parleyValue", label: "parleyLabel" } as const;

/** The activity of a Bot Framework request, or `undefined` when the body is not one. */
export function readActivity(request: InboundRequest): Json | undefined {
  try {
    const activity = JSON.parse(request.rawBody.toString("utf8")) as unknown;
    return activity !== null && typeof activity === "object" && !Array.isArray(activity)
      ? (activity as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The event of one Bot Framework activity: `message` activities (text without the bot's @mention,
 * `messageBack` and Adaptive Card submits as button values, images and files as attachments);
 * `messageUpdate` as an ignored edit; conversation updates, typing, reactions, invokes and other
 * activities as ignored.
 */
export function parseTeams(request: InboundRequest): InboundEvent[] {
  const activity = readActivity(request);
  if (!activity) return [];
  const id =
    str(activity.id) ??
    `${str(obj(activity.conversation).id) ?? "?"}:${str(activity.timestamp) ?? Date.now()}`;
  const type = str(activity.type);
  if (type === "messageUpdate") return [{ kind: "ignored", eventId: id, why: "edit" }];
  if (type !== "message") return [{ kind: "ignored", eventId: id, why: "unsupported" }];
  const from = obj(activity.from);
  if (str(from.role) === "bot") return [{ kind: "ignored", eventId: id, why: "bot" }];
  const conversation = obj(activity.conversation);
  const recipient = obj(activity.recipient);
  const text = stripMentions(str(activity.text) ?? "");
  const value = activity.value;
  const submitted = obj(value);
  let buttonValue: string | undefined;
  let label: string | undefined;
  if (typeof submitted[TEAMS_SUBMIT_DATA.value] === "string") {
    buttonValue = submitted[TEAMS_SUBMIT_DATA.value] as string;
    label = str(submitted[TEAMS_SUBMIT_DATA.label]);
  } else if (typeof value === "string") buttonValue = value;
  else if (value !== undefined && value !== null) buttonValue = JSON.stringify(value);
  const attachments = arr(activity.attachments).flatMap((item): InboundAttachment[] => {
    const attachment = obj(item);
    const contentType = str(attachment.contentType) ?? "";
    const name = str(attachment.name);
    if (contentType === "application/vnd.microsoft.teams.file.download.info") {
      const url = str(obj(attachment.content).downloadUrl);
      return [{ type: "file", ...(url ? { url } : {}), ...(name ? { name } : {}) }];
    }
    const url = str(attachment.contentUrl);
    if (!url) return [];
    const kind: InboundAttachment["type"] = contentType.startsWith("image/")
      ? "image"
      : contentType.startsWith("audio/")
        ? "audio"
        : contentType.startsWith("video/")
          ? "video"
          : "file";
    return [{ type: kind, url, mimeType: contentType, ...(name ? { name } : {}) }];
  });
  const shown = label ?? (text !== "" ? text : undefined);
  if (shown === undefined && buttonValue === undefined && attachments.length === 0) {
    return [{ kind: "ignored", eventId: id, why: "unsupported" }];
  }
  const serviceUrl = str(activity.serviceUrl) ?? "";
  const conversationId = str(conversation.id) ?? "";
  const tenantId = str(conversation.tenantId) ?? str(obj(obj(activity.channelData).tenant).id);
  const occurredAtMs = Date.parse(str(activity.timestamp) ?? "");
  return [
    {
      kind: "message",
      eventId: id,
      externalUserId: str(from.aadObjectId) ?? str(from.id) ?? "",
      ...(str(from.name) ? { displayName: str(from.name) } : {}),
      threadId: conversationId,
      ...(shown !== undefined ? { text: shown } : {}),
      ...(buttonValue !== undefined ? { buttonValue } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
      replyContext: {
        serviceUrl,
        conversationId,
        userId: str(from.id) ?? "",
        botId: str(recipient.id) ?? "",
        ...(str(recipient.name) ? { botName: str(recipient.name) as string } : {}),
        ...(tenantId ? { tenantId } : {}),
      },
      occurredAtMs: Number.isFinite(occurredAtMs) ? occurredAtMs : Date.now(),
    },
  ];
}

/** Text without `<at>Bot</at>` mentions (Teams puts the bot's name in channel messages addressed to it). */
function stripMentions(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
