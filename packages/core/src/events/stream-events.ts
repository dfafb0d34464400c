import type {
  AnalyticsStreamEvent,
  ConversationAssignment,
  ConversationStatus,
  ConversationStreamEvent,
  IntegrationStreamEvent,
  MessageInboundEvent,
  MessageOutboundEvent,
} from "@parley/contract";
import type { NewAnalyticsEvent, NewMessage, NewOutboxEvent } from "@parley/db";
import { newId } from "../internal/ids";

/**
 * The events of one conversation step for the stream (transactional outbox, see docs/events.md), built
 * from the rows the step writes so they commit with it (internal). Ids are reused where the row has one
 * (a message's id, an analytics event's id): consumers can match an event with its row.
 */
export function stepStreamEvents(input: {
  tenantId: string;
  conversationId: string;
  botId: string;
  channel: string | null;
  created: boolean;
  previousStatus: ConversationStatus;
  status: ConversationStatus;
  messages: readonly NewMessage[];
  analytics: readonly NewAnalyticsEvent[];
  /** Who has the conversation after the step (a takeover from the inbox): on its `conversation.handoff`. */
  assignment?: ConversationAssignment;
  now: Date;
}): NewOutboxEvent[] {
  const occurredAt = input.now.toISOString();
  const base = {
    version: 1 as const,
    tenantId: input.tenantId,
    conversationId: input.conversationId,
    botId: input.botId,
    occurredAt,
  };
  const events: NewOutboxEvent[] = [];
  const handoffMessage = input.messages.find(
    (message) => (message.payload as { type?: unknown } | null)?.type === "handoff",
  )?.payload;
  const lifecycle = (
    type: ConversationStreamEvent["type"],
    previousStatus: ConversationStatus | null,
  ): NewOutboxEvent => {
    const payload: ConversationStreamEvent = {
      ...base,
      id: newId(),
      type,
      data: {
        status: input.status,
        previousStatus,
        channel: input.channel,
        ...(type === "conversation.handoff" ? { handoff: handoffMessage ?? null } : {}),
        ...(type === "conversation.handoff" && input.assignment ? { assignment: input.assignment } : {}),
      },
    };
    return { topic: "conversation.events.v1", payload };
  };
  if (input.created) events.push(lifecycle("conversation.started", null));
  for (const message of input.messages) {
    const data = {
      messageId: message.id,
      seq: message.seq,
      author: message.author,
      authorUserId: message.authorUserId ?? null,
      text: message.text,
      payload: message.payload,
    };
    if (message.author === "user") {
      const payload: MessageInboundEvent = {
        ...base,
        id: message.id,
        type: "message.inbound",
        data: { ...data, clientMessageId: message.clientMessageId ?? null },
      };
      events.push({ topic: "message.inbound.v1", payload });
    } else {
      const payload: MessageOutboundEvent = {
        ...base,
        id: message.id,
        type: "message.outbound",
        data: { ...data, nodeId: message.nodeId ?? null },
      };
      events.push({ topic: "message.outbound.v1", payload });
    }
  }
  const previous = input.created ? null : input.previousStatus;
  if (input.status !== input.previousStatus || input.created) {
    if (input.status === "handoff" && input.previousStatus !== "handoff") {
      events.push(lifecycle("conversation.handoff", previous));
    } else if (input.status === "ended" && input.previousStatus !== "ended") {
      events.push(lifecycle("conversation.ended", previous));
    } else if (input.status === "waiting" && input.previousStatus === "handoff" && !input.created) {
      events.push(lifecycle("conversation.resumed", previous));
    }
  }
  for (const event of input.analytics) {
    if (event.type === "integration.call") {
      const call = event.properties as Partial<IntegrationStreamEvent["data"]>;
      const payload: IntegrationStreamEvent = {
        ...base,
        id: event.id,
        type: "integration.call",
        data: {
          integrationId: String(call.integrationId ?? ""),
          status: typeof call.status === "number" ? call.status : null,
          outcome: call.outcome === "success" ? "success" : "error",
          durationMs: Number(call.durationMs ?? 0),
          attempts: Number(call.attempts ?? 0),
        },
      };
      events.push({ topic: "integration.events.v1", payload });
      continue;
    }
    const payload: AnalyticsStreamEvent = {
      ...base,
      id: event.id,
      type: event.type,
      data: { analyticsEventId: event.id, properties: event.properties },
    };
    events.push({ topic: "analytics.events.v1", payload });
  }
  return events;
}
