import type { FlowDocument, FlowEdge, FlowNode } from "@parley/flow-schema";

/** How one node differs between two documents. */
export type NodeChange = "added" | "removed" | "changed" | "moved";

/** One value inside a node that differs: its path (`label`, `data.input.min`) and both values. */
export interface FieldChange {
  readonly path: string;
  /** The base's value (undefined: not set there). */
  readonly before: unknown;
  /** The other document's value (undefined: not set there). */
  readonly after: unknown;
}

/** The difference between a base document (e.g. a published version) and another (the draft). */
export interface FlowDiff {
  /** Per node id: what happened to it (unchanged nodes are absent). */
  readonly nodes: ReadonlyMap<string, NodeChange>;
  /** For changed nodes: the top-level fields that differ (`label`, `data.prompt`, ...). */
  readonly changedFields: ReadonlyMap<string, readonly string[]>;
  /** For changed nodes: every leaf that differs, field by field (`data.input.options.1.label`). */
  readonly fieldChanges: ReadonlyMap<string, readonly FieldChange[]>;
  readonly edgesAdded: readonly FlowEdge[];
  readonly edgesRemoved: readonly FlowEdge[];
  readonly variablesAdded: readonly string[];
  readonly variablesRemoved: readonly string[];
  readonly variablesChanged: readonly string[];
  readonly settingsChanged: boolean;
  readonly nameChanged: boolean;
  /** True when nothing but node positions differ. */
  readonly onlyLayout: boolean;
}

const edgeKey = (edge: FlowEdge) => `${edge.source}\u0000${edge.sourceHandle}\u0000${edge.target}`;

/**
 * Compares two flow documents by node id, edge endpoints and variable name. Content changes win over
 * moves: a node whose data changed and that moved is "changed".
 */
export function diffFlows(base: FlowDocument, next: FlowDocument): FlowDiff {
  const nodes = new Map<string, NodeChange>();
  const changedFields = new Map<string, string[]>();
  const fieldChanges = new Map<string, FieldChange[]>();
  const before = new Map(base.nodes.map((node) => [node.id, node]));
  const after = new Map(next.nodes.map((node) => [node.id, node]));
  for (const [id, node] of after) {
    const old = before.get(id);
    if (!old) {
      nodes.set(id, "added");
      continue;
    }
    const fields = changedNodeFields(old, node);
    if (fields.length > 0) {
      nodes.set(id, "changed");
      changedFields.set(id, fields);
      const leaves: FieldChange[] = [];
      if (old.kind !== node.kind) leaves.push({ path: "kind", before: old.kind, after: node.kind });
      leafChanges("label", old.label, node.label, leaves);
      leafChanges("data", old.data, node.data, leaves);
      fieldChanges.set(id, leaves);
    } else if (old.position.x !== node.position.x || old.position.y !== node.position.y) {
      nodes.set(id, "moved");
    }
  }
  for (const id of before.keys()) if (!after.has(id)) nodes.set(id, "removed");

  const baseEdges = new Map(base.edges.map((edge) => [edgeKey(edge), edge]));
  const nextEdges = new Map(next.edges.map((edge) => [edgeKey(edge), edge]));
  const edgesAdded = [...nextEdges].filter(([key]) => !baseEdges.has(key)).map(([, edge]) => edge);
  const edgesRemoved = [...baseEdges].filter(([key]) => !nextEdges.has(key)).map(([, edge]) => edge);

  const baseVars = new Map(base.variables.map((v) => [v.name, JSON.stringify(v)]));
  const nextVars = new Map(next.variables.map((v) => [v.name, JSON.stringify(v)]));
  const variablesAdded = [...nextVars.keys()].filter((name) => !baseVars.has(name));
  const variablesRemoved = [...baseVars.keys()].filter((name) => !nextVars.has(name));
  const variablesChanged = [...nextVars]
    .filter(([name, json]) => baseVars.has(name) && baseVars.get(name) !== json)
    .map(([name]) => name);
  const settingsChanged = JSON.stringify(base.settings) !== JSON.stringify(next.settings);
  const nameChanged = base.name !== next.name;

  const contentChanges = [...nodes.values()].some((change) => change !== "moved");
  const onlyLayout =
    !contentChanges &&
    edgesAdded.length +
      edgesRemoved.length +
      variablesAdded.length +
      variablesRemoved.length +
      variablesChanged.length ===
      0 &&
    !settingsChanged &&
    !nameChanged;
  return {
    nodes,
    changedFields,
    fieldChanges,
    edgesAdded,
    edgesRemoved,
    variablesAdded,
    variablesRemoved,
    variablesChanged,
    settingsChanged,
    nameChanged,
    onlyLayout,
  };
}

/** A one-line summary such as "2 added, 1 removed, 3 changed nodes; 1 edge added". */
export function summarizeDiff(diff: FlowDiff): string {
  const count = (change: NodeChange) => [...diff.nodes.values()].filter((c) => c === change).length;
  const parts = [
    [count("added"), "node added", "nodes added"],
    [count("removed"), "node removed", "nodes removed"],
    [count("changed"), "node changed", "nodes changed"],
    [count("moved"), "node moved", "nodes moved"],
    [diff.edgesAdded.length, "connection added", "connections added"],
    [diff.edgesRemoved.length, "connection removed", "connections removed"],
    [
      diff.variablesAdded.length + diff.variablesRemoved.length + diff.variablesChanged.length,
      "variable changed",
      "variables changed",
    ],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  if (diff.settingsChanged) text.push("settings changed");
  if (diff.nameChanged) text.push("renamed");
  return text.length === 0 ? "No differences" : text.join(", ");
}

function changedNodeFields(a: FlowNode, b: FlowNode): string[] {
  const fields: string[] = [];
  if (a.kind !== b.kind) fields.push("kind");
  if ((a.label ?? "") !== (b.label ?? "")) fields.push("label");
  const dataA = a.data as Record<string, unknown>;
  const dataB = b.data as Record<string, unknown>;
  for (const key of new Set([...Object.keys(dataA), ...Object.keys(dataB)])) {
    if (JSON.stringify(dataA[key]) !== JSON.stringify(dataB[key])) fields.push(`data.${key}`);
  }
  return fields;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Collects the leaves that differ between two values: objects by key, lists by position (a list of
 * another length is also compared item by item, so an added option shows as that option's fields),
 * anything else as one value. Bounded depth: deeper differences are reported whole.
 */
function leafChanges(path: string, a: unknown, b: unknown, out: FieldChange[], depth = 0): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (depth < 8 && isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      leafChanges(`${path}.${key}`, a[key], b[key], out, depth + 1);
    return;
  }
  if (depth < 8 && Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      leafChanges(`${path}.${i}`, a[i], b[i], out, depth + 1);
    return;
  }
  out.push({ path, before: a, after: b });
}
