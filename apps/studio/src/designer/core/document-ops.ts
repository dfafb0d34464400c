import {
  createNode,
  describeOutputHandles,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  type NodeKind,
  type NodePosition,
  nodeCatalog,
  type VariableDeclaration,
} from "@parley/flow-schema";

/**
 * Pure edits of a flow document, one function per gesture of the designer. Each returns a new
 * document (unchanged parts keep their identity, so the canvas re-renders only what changed) or
 * the same document when the edit does not apply.
 */

/** A fresh id `<base>-<n>` that no node or edge of `doc` uses. */
export function uniqueId(doc: FlowDocument, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set<string>([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id), ...taken]);
  const stem = base.replace(/[^A-Za-z0-9_.:-]/g, "-") || "node";
  for (let n = 1; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Why an edit was refused, for a toast in the designer. */
export class EditRefused extends Error {
  override readonly name = "EditRefused";
}

/** Adds a node of `kind` with the catalogue's default data. Refuses a second start node. */
export function addNode(
  doc: FlowDocument,
  kind: NodeKind,
  position: NodePosition,
): { doc: FlowDocument; nodeId: string } {
  if (!nodeCatalog[kind].repeatable && doc.nodes.some((node) => node.kind === kind)) {
    throw new EditRefused(`A flow can have only one ${nodeCatalog[kind].label} node.`);
  }
  const id = uniqueId(doc, kind);
  const node = createNode(kind, { id, position: roundPosition(position), label: nodeCatalog[kind].label });
  if (node.kind === "ask") {
    // An answer needs a declared variable to go into: a fresh one per question, declared with it.
    const name = uniqueVariableName(doc, "answer");
    const variable: VariableDeclaration = { name, type: "string", scope: "conversation" };
    const ask = { ...node, data: { ...node.data, saveTo: name } } as FlowNode;
    return {
      doc: { ...doc, nodes: [...doc.nodes, ask], variables: [...doc.variables, variable] },
      nodeId: id,
    };
  }
  return { doc: { ...doc, nodes: [...doc.nodes, node as FlowNode] }, nodeId: id };
}

/** A variable name not declared in `doc`: `base`, then `base_2`, `base_3`... */
export function uniqueVariableName(doc: FlowDocument, base: string): string {
  const used = new Set(doc.variables.map((v) => v.name));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** Moves nodes to new positions (rounded to whole pixels). */
export function moveNodes(doc: FlowDocument, positions: ReadonlyMap<string, NodePosition>): FlowDocument {
  if (positions.size === 0) return doc;
  let changed = false;
  const nodes = doc.nodes.map((node) => {
    const next = positions.get(node.id);
    if (!next) return node;
    const rounded = roundPosition(next);
    if (rounded.x === node.position.x && rounded.y === node.position.y) return node;
    changed = true;
    return { ...node, position: rounded } as FlowNode;
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Removes nodes (with every edge touching them) and edges. */
export function removeElements(
  doc: FlowDocument,
  { nodeIds = [], edgeIds = [] }: { nodeIds?: Iterable<string>; edgeIds?: Iterable<string> },
): FlowDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  const keptNodes = doc.nodes.filter((node) => !nodes.has(node.id));
  const keptEdges = doc.edges.filter(
    (edge) => !edges.has(edge.id) && !nodes.has(edge.source) && !nodes.has(edge.target),
  );
  if (keptNodes.length === doc.nodes.length && keptEdges.length === doc.edges.length) return doc;
  return { ...doc, nodes: keptNodes, edges: keptEdges };
}

/**
 * Connects an output handle to a node. A handle carries at most one edge, so an existing edge from
 * the same handle is replaced (what dragging a new wire from a connected handle means).
 */
export function connect(
  doc: FlowDocument,
  { source, sourceHandle, target }: { source: string; sourceHandle: string; target: string },
): { doc: FlowDocument; edgeId: string } {
  const ids = new Set(doc.nodes.map((node) => node.id));
  if (!ids.has(source)) throw new EditRefused(`There is no node ${source} to connect from.`);
  if (!ids.has(target)) throw new EditRefused(`There is no node ${target} to connect to.`);
  const existing = doc.edges.find((e) => e.source === source && e.sourceHandle === sourceHandle);
  if (existing?.target === target) return { doc, edgeId: existing.id };
  const kept = doc.edges.filter((e) => e !== existing);
  const edgeId = uniqueId({ ...doc, edges: kept }, `e-${source}-${sourceHandle}`);
  const edge: FlowEdge = { id: edgeId, source, sourceHandle, target };
  return { doc: { ...doc, edges: [...kept, edge] }, edgeId };
}

/** Where "add next node" puts a node: below its source, shifted per output, clear of other nodes. */
export function nextNodePosition(doc: FlowDocument, source: string, sourceHandle: string): NodePosition {
  const from = doc.nodes.find((node) => node.id === source);
  if (!from) return { x: 0, y: 0 };
  const handles = describeOutputHandles(from);
  const index = Math.max(
    0,
    handles.findIndex((handle) => handle.id === sourceHandle),
  );
  const position = {
    x: from.position.x + (index - (handles.length - 1) / 2) * 230,
    y: from.position.y + 170,
  };
  const overlaps = () =>
    doc.nodes.some(
      (node) => Math.abs(node.position.x - position.x) < 210 && Math.abs(node.position.y - position.y) < 110,
    );
  for (let guard = 0; overlaps() && guard < 50; guard++) position.x += 230;
  return roundPosition(position);
}

/**
 * Adds a node of `kind` and connects an output handle to it ("add next node" on a handle, or a wire
 * dropped on empty canvas). Placed at `position`, or below the source (see nextNodePosition).
 */
export function addConnectedNode(
  doc: FlowDocument,
  kind: NodeKind,
  from: { source: string; sourceHandle: string },
  position?: NodePosition,
): { doc: FlowDocument; nodeId: string } {
  const added = addNode(doc, kind, position ?? nextNodePosition(doc, from.source, from.sourceHandle));
  return { doc: connect(added.doc, { ...from, target: added.nodeId }).doc, nodeId: added.nodeId };
}

/** Replaces one node's label and/or data (the inspector's edits). */
export function updateNode(
  doc: FlowDocument,
  nodeId: string,
  patch: { label?: string | undefined; data?: unknown },
): FlowDocument {
  const index = doc.nodes.findIndex((node) => node.id === nodeId);
  const node = doc.nodes[index];
  if (!node) throw new EditRefused(`There is no node ${nodeId}.`);
  const next = { ...node } as Record<string, unknown>;
  if ("label" in patch) {
    if (patch.label === undefined || patch.label === "") delete next.label;
    else next.label = patch.label;
  }
  if ("data" in patch) next.data = patch.data;
  const nodes = [...doc.nodes];
  nodes[index] = next as FlowNode;
  return { ...doc, nodes };
}

/** What copy puts on the clipboard: the nodes and the edges between them. */
export interface FlowClipboard {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/** Copies the given nodes and the edges that run between two of them. */
export function copySelection(doc: FlowDocument, nodeIds: Iterable<string>): FlowClipboard {
  const ids = new Set(nodeIds);
  return {
    nodes: doc.nodes.filter((node) => ids.has(node.id)),
    edges: doc.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
  };
}

/**
 * Pastes a clipboard with fresh ids, shifted by `offset`. Kinds a flow may hold once (start) are
 * skipped when the flow has one already. Returns the new node ids (to select them).
 */
export function pasteClipboard(
  doc: FlowDocument,
  clipboard: FlowClipboard,
  offset: NodePosition = { x: 40, y: 40 },
): { doc: FlowDocument; nodeIds: string[] } {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  const nodes: FlowNode[] = [];
  for (const node of clipboard.nodes) {
    const once = !nodeCatalog[node.kind].repeatable;
    if (once && (doc.nodes.some((n) => n.kind === node.kind) || nodes.some((n) => n.kind === node.kind)))
      continue;
    const id = uniqueId(doc, node.kind, taken);
    taken.add(id);
    renamed.set(node.id, id);
    nodes.push({
      ...structuredClone(node),
      id,
      position: roundPosition({ x: node.position.x + offset.x, y: node.position.y + offset.y }),
    } as FlowNode);
  }
  const edges: FlowEdge[] = [];
  for (const edge of clipboard.edges) {
    const source = renamed.get(edge.source);
    const target = renamed.get(edge.target);
    if (!source || !target) continue;
    const id = uniqueId(doc, `e-${source}-${edge.sourceHandle}`, taken);
    taken.add(id);
    edges.push({ id, source, sourceHandle: edge.sourceHandle, target });
  }
  return {
    doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
    nodeIds: nodes.map((node) => node.id),
  };
}

/** Adds or replaces (by name) a variable declaration. */
export function upsertVariable(
  doc: FlowDocument,
  variable: VariableDeclaration,
  previousName?: string,
): FlowDocument {
  const name = previousName ?? variable.name;
  const index = doc.variables.findIndex((v) => v.name === name);
  const variables = [...doc.variables];
  if (index === -1) variables.push(variable);
  else variables[index] = variable;
  return { ...doc, variables };
}

/** Removes a variable declaration by name. */
export function removeVariable(doc: FlowDocument, name: string): FlowDocument {
  return { ...doc, variables: doc.variables.filter((v) => v.name !== name) };
}

function roundPosition(position: NodePosition): NodePosition {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}
