import type { OutgoingMessage, ReplyOption } from "@parley/contract";
import type { OutboundCall, ReplyTarget } from "../../platform-adapter";
import { TEAMS_SUBMIT_DATA } from "./parse";

/** The Bot Connector endpoint Microsoft documents for proactive Teams messages (any region). */
export const TEAMS_GLOBAL_SERVICE_URL = "https://smba.trafficmanager.net/teams/";

/** Teams shows at most three suggested actions. */
const MAX_SUGGESTED_ACTIONS = 3;
const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

/**
 * A turn's messages as Bot Connector activities, posted to
 * `{serviceUrl}/v3/conversations/{conversationId}/activities`: text as Teams markdown, up to three
 * quick replies as suggested actions (`imBack` with the label, which the flow matches), more, and
 * cards and images, as Adaptive Cards (submit buttons carry the value), typing as a `typing` activity.
 */
export function renderTeams(messages: OutgoingMessage[], target: ReplyTarget): OutboundCall[] {
  const context = target.replyContext;
  // Before any inbound activity (a test message) the global Teams connector serves proactive messages.
  const serviceUrl = (context.serviceUrl || TEAMS_GLOBAL_SERVICE_URL).replace(/\/?$/, "/");
  const conversationId = context.conversationId ?? target.threadId;
  const url = `${serviceUrl}v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  const envelope = {
    ...(context.botId
      ? { from: { id: context.botId, ...(context.botName ? { name: context.botName } : {}) } }
      : {}),
    conversation: { id: conversationId },
    ...(context.userId ? { recipient: { id: context.userId } } : {}),
  };
  const call = (kind: string, activity: Record<string, unknown>): OutboundCall => ({
    kind,
    method: "POST",
    url,
    body: { type: "message", ...envelope, ...activity },
  });
  const card = (kind: string, body: unknown[], actions: unknown[]) =>
    call(kind, {
      attachments: [
        {
          contentType: ADAPTIVE_CARD,
          content: {
            type: "AdaptiveCard",
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            version: "1.4",
            body,
            ...(actions.length > 0 ? { actions } : {}),
          },
        },
      ],
    });
  const submit = (option: ReplyOption) => ({
    type: "Action.Submit",
    title: option.label,
    data: { [TEAMS_SUBMIT_DATA.value]: option.value, [TEAMS_SUBMIT_DATA.label]: option.label },
  });
  const choices = (text: string, options: ReplyOption[]): OutboundCall =>
    options.length <= MAX_SUGGESTED_ACTIONS
      ? call("suggested_actions", {
          text,
          textFormat: "markdown",
          suggestedActions: {
            ...(context.userId ? { to: [context.userId] } : {}),
            actions: options.map((option) => ({ type: "imBack", title: option.label, value: option.label })),
          },
        })
      : card("buttons", [{ type: "TextBlock", text, wrap: true }], options.map(submit));

  const calls: OutboundCall[] = [];
  for (const message of messages) {
    switch (message.type) {
      case "text":
        calls.push(
          call("text", {
            text: message.text,
            textFormat: message.format === "markdown" ? "markdown" : "plain",
          }),
        );
        break;
      case "image":
        calls.push(
          card(
            "image",
            [
              {
                type: "Image",
                url: message.url,
                ...(message.alt ? { altText: message.alt } : {}),
                size: "Auto",
              },
            ],
            [],
          ),
        );
        break;
      case "quick_replies":
        calls.push(choices(message.text ?? "Choose one:", message.replies));
        break;
      case "ask":
        calls.push(
          message.input.choices?.length
            ? choices(message.text, message.input.choices)
            : call("text", { text: message.text, textFormat: "markdown" }),
        );
        break;
      case "card":
        calls.push(
          card(
            "card",
            [
              { type: "TextBlock", text: message.title, weight: "Bolder", size: "Medium", wrap: true },
              ...(message.subtitle
                ? [{ type: "TextBlock", text: message.subtitle, isSubtle: true, wrap: true }]
                : []),
              ...(message.imageUrl ? [{ type: "Image", url: message.imageUrl, size: "Stretch" }] : []),
            ],
            message.buttons.map((button) =>
              button.url
                ? { type: "Action.OpenUrl", title: button.label, url: button.url }
                : submit({ label: button.label, value: button.value ?? button.label }),
            ),
          ),
        );
        break;
      case "typing":
        calls.push({ kind: "typing", method: "POST", url, body: { type: "typing", ...envelope } });
        break;
      case "handoff":
      case "end":
        if (message.text) calls.push(call("text", { text: message.text, textFormat: "plain" }));
        break;
    }
  }
  return calls;
}
