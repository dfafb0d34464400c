import type { ConversationState } from "@parley/contract";

/**
 * The state a conversation is in, from its stored status and assignee: the bot has it (`active`),
 * it waits for an agent (`waiting`), an agent has it (`handoff`), or it `ended`.
 */
export function stateOf(status: string, assignedUserId: string | null): ConversationState {
  if (status === "ended") return "ended";
  if (status === "handoff") return assignedUserId ? "handoff" : "waiting";
  return "active";
}
