import type { ConversationAssignment, ConversationStatus, OutgoingMessage } from "@parley/contract";
import type { TurnResult } from "@parley/engine";
import type { IntegrationCall } from "../integrations/integration-http";
import type { LiveConversation } from "./load";
import type { InboundEntry } from "./messages";
import type { LoadedVersion } from "./versions";

/** Everything one step of a conversation writes, in one transaction (internal). */
export interface CommitPlan {
  inbound?: InboundEntry & { clientMessageId?: string; authorUserId?: string | null };
  outgoing: readonly OutgoingMessage[];
  /** Authored by `system` instead of `bot` (the end of a conversation closed through the API). */
  outgoingAuthor?: "bot" | "system";
  status: ConversationStatus;
  snapshot?: unknown;
  variables?: Record<string, unknown>;
  /** `integrationCalls`: the turn's integration calls (recorded as `integration.call` events). */
  turn?: { result: TurnResult; latencyMs: number; integrationCalls?: readonly IntegrationCall[] };
  /** The conversation row does not exist yet (its first step). */
  create?: {
    channel: LiveConversation["channel"];
    metadata: unknown;
    /** A messaging-channel conversation: its channel and the platform thread it continues. */
    thread?: { channelConfigId: string; externalThreadId: string };
  };
  /** The version that ran: its contact-scoped variables are kept on the contact. */
  version?: LoadedVersion;
  /** Who has the conversation after a takeover from the inbox (carried by its `conversation.handoff` event). */
  assignment?: ConversationAssignment;
  /** The stored channel event the step answers (with `inbound`): marked done in the step's transaction. */
  channelEvent?: ChannelEventMark;
}

/**
 * A stored channel event (its `channel_inbound_events` row) whose turn runs (internal): the step
 * that writes the event's inbound message marks it done in the same transaction, and sets `marked`,
 * so the thread's drain writes no outcome of its own for it (a replayed or dropped event it does).
 */
export interface ChannelEventMark {
  readonly rowId: string;
  marked: boolean;
}

/** The part of a plan an engine turn decides: its messages, status, snapshot and variables (internal). */
export function turnPlan(
  turn: NonNullable<CommitPlan["turn"]>,
  version: LoadedVersion,
): Pick<CommitPlan, "outgoing" | "status" | "snapshot" | "variables" | "turn" | "version"> {
  const { messages, status, snapshot, variables } = turn.result;
  return { outgoing: messages, status, snapshot, variables, turn, version };
}
