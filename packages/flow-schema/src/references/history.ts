import type { FlowDocument } from "../document";
import type { NodeKind } from "../nodes/flow-node";

/** Node kinds that read the conversation's recent messages (they prompt a model with them). */
export const HISTORY_NODE_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(["llm", "knowledge", "intent"]);

/**
 * Whether running the flow needs the conversation history: true when any node is of a
 * {@link HISTORY_NODE_KINDS} kind. The turn pipeline loads the history only then.
 *
 * @example
 * needsConversationHistory(document); // false for a flow of asks and messages
 */
export function needsConversationHistory(document: Pick<FlowDocument, "nodes">): boolean {
  return document.nodes.some((node) => HISTORY_NODE_KINDS.has(node.kind));
}
