import {
  createNode,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  flowDocumentSchema,
} from "@parley/flow-schema";
import { layeredLayout } from "@parley/studio/designer/layout";

/**
 * A valid flow of `size` nodes shaped like a real one: a start, then blocks of ask -> condition
 * (two branches of messages that join again), ending in an end node. Laid out with the studio's
 * auto-layout.
 */
export function bigFlow(size: number): FlowDocument {
  const nodes: FlowNode[] = [createNode("start", { id: "start", position: { x: 0, y: 0 } }) as FlowNode];
  const edges: FlowEdge[] = [];
  let previous = { id: "start", handle: "next" };
  let n = 0;
  const link = (source: string, handle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle: handle, target });
  while (nodes.length < size - 5) {
    n++;
    const ask = createNode("ask", {
      id: `ask-${n}`,
      position: { x: 0, y: 0 },
      label: `Question ${n}`,
    }) as FlowNode;
    (ask.data as Record<string, unknown>).prompt = `Question number ${n}?`;
    (ask.data as Record<string, unknown>).saveTo = "answer";
    const condition = createNode("condition", { id: `cond-${n}`, position: { x: 0, y: 0 } }) as FlowNode;
    const yes = createNode("message", { id: `yes-${n}`, position: { x: 0, y: 0 } }) as FlowNode;
    (yes.data as Record<string, unknown>).text = `You said {{ answer }} (${n})`;
    const no = createNode("message", { id: `no-${n}`, position: { x: 0, y: 0 } }) as FlowNode;
    (no.data as Record<string, unknown>).text = `Nothing said (${n})`;
    nodes.push(ask, condition, yes, no);
    link(previous.id, previous.handle, ask.id);
    link(ask.id, "error", no.id);
    link(ask.id, "next", condition.id);
    link(condition.id, "group-1", yes.id);
    link(condition.id, "else", no.id);
    link(no.id, "next", yes.id);
    previous = { id: yes.id, handle: "next" };
  }
  while (nodes.length < size - 1) {
    const filler = createNode("message", {
      id: `tail-${nodes.length}`,
      position: { x: 0, y: 0 },
    }) as FlowNode;
    (filler.data as Record<string, unknown>).text = "Almost done";
    nodes.push(filler);
    link(previous.id, previous.handle, filler.id);
    previous = { id: filler.id, handle: "next" };
  }
  nodes.push(createNode("end", { id: "end", position: { x: 0, y: 0 } }) as FlowNode);
  link(previous.id, previous.handle, "end");
  const doc = flowDocumentSchema.parse({
    version: 1,
    id: "bench-500",
    name: `Bench ${size}`,
    nodes,
    edges,
    variables: [{ name: "answer", type: "string", scope: "conversation" }],
  });
  const positions = layeredLayout(doc);
  return {
    ...doc,
    nodes: doc.nodes.map(
      (node) => ({ ...node, position: positions.get(node.id) ?? node.position }) as FlowNode,
    ),
  };
}
