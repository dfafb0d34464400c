import { createNode } from "./catalog";
import { type FlowDocument, flowDocumentSchema } from "./document";

/**
 * An empty flow with only a start node: what "new flow" creates in the studio, and a base for tests.
 *
 * @example
 * const doc = emptyFlow("greet", "Greet"); // { version: 1, id: "greet", nodes: [start], edges: [] ... }
 */
export function emptyFlow(id: string, name: string): FlowDocument {
  return flowDocumentSchema.parse({
    version: 1,
    id,
    name,
    nodes: [createNode("start", { id: "start", position: { x: 0, y: 0 }, label: "Start" })],
  });
}
