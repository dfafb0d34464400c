import { hash32 } from "../util/hash";

/**
 * The A/B bucket (0..99) of a conversation at an ab-split node: a hash of the conversation id,
 * flow id and node id. The same conversation always lands in the same bucket (sticky), anyone
 * can recompute it from the ids (reproducible), and two split nodes are independent.
 */
export function abBucket(conversationId: string, flowId: string, nodeId: string): number {
  return hash32(`${conversationId}\u0000${flowId}\u0000${nodeId}`) % 100;
}
