/**
 * Node ids may contain `.`, which XState reads as a path separator in targets. State keys
 * replace it with `~` (never valid in a node id, so the mapping is reversible).
 */
export function stateKeyOf(nodeId: string): string {
  return nodeId.includes(".") ? nodeId.replaceAll(".", "~") : nodeId;
}

/** The node id a state key was made from. */
export function nodeIdOfStateKey(key: string): string {
  return key.includes("~") ? key.replaceAll("~", ".") : key;
}
