import type { FlowDocument, NodePosition } from "@parley/flow-schema";

/** Spacing of {@link layeredLayout}, in canvas pixels. */
export interface LayoutSpacing {
  /** Distance between layers (top to bottom). */
  readonly layerGap: number;
  /** Distance between neighbours in a layer. */
  readonly nodeGap: number;
}

const DEFAULT_SPACING: LayoutSpacing = { layerGap: 160, nodeGap: 260 };

/**
 * A simple layered (Sugiyama-style) layout, top to bottom:
 * 1. layers: longest path from the roots (start node first, then nodes nobody points at), ignoring
 *    edges that close a cycle (found by depth-first search), so loops do not push nodes down forever;
 * 2. order inside a layer: a few sweeps of the barycenter heuristic (mean position of the parents),
 *    which removes most crossings in the tree-like graphs conversation flows are;
 * 3. coordinates: layers centred on x = 0.
 * Deterministic: the same document gives the same positions.
 */
export function layeredLayout(
  doc: FlowDocument,
  spacing: LayoutSpacing = DEFAULT_SPACING,
): Map<string, NodePosition> {
  const ids = doc.nodes.map((node) => node.id);
  const known = new Set(ids);
  const outgoing = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of doc.edges) {
    if (known.has(edge.source) && known.has(edge.target) && edge.source !== edge.target) {
      outgoing.get(edge.source)?.push(edge.target);
    }
  }
  const start = doc.nodes.find((node) => node.kind === "start")?.id;
  const hasIncoming = new Set(doc.edges.map((edge) => edge.target));
  const roots = [...(start ? [start] : []), ...ids.filter((id) => id !== start && !hasIncoming.has(id))];

  // Depth-first search from the roots (then any node left) marks back edges.
  const backEdges = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const visit = (root: string) => {
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, "open");
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const children = outgoing.get(frame.id) ?? [];
      if (frame.next >= children.length) {
        state.set(frame.id, "done");
        stack.pop();
        continue;
      }
      const child = children[frame.next++] as string;
      const seen = state.get(child);
      if (seen === "open") backEdges.add(`${frame.id}\u0000${child}`);
      else if (seen === undefined) {
        state.set(child, "open");
        stack.push({ id: child, next: 0 });
      }
    }
  };
  for (const id of [...roots, ...ids]) if (!state.has(id)) visit(id);

  // Longest-path layering over the acyclic part (Kahn's order).
  const forward = new Map<string, string[]>(
    ids.map((id) => [id, (outgoing.get(id) ?? []).filter((t) => !backEdges.has(`${id}\u0000${t}`))]),
  );
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const targets of forward.values())
    for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  // Roots first, in root order, so the start node leads layer 0.
  queue.sort((a, b) => rootRank(a) - rootRank(b));
  function rootRank(id: string) {
    const index = roots.indexOf(id);
    return index === -1 ? roots.length : index;
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    for (const target of forward.get(id) ?? []) {
      layer.set(target, Math.max(layer.get(target) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (indegree.get(target) ?? 0) - 1;
      indegree.set(target, left);
      if (left === 0) queue.push(target);
    }
  }

  const layers: string[][] = [];
  for (const id of queue) {
    const index = layer.get(id) ?? 0;
    const row = layers[index];
    if (row) row.push(id);
    else layers[index] = [id];
  }

  // Barycenter ordering, downward sweeps.
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [source, targets] of forward) for (const t of targets) parents.get(t)?.push(source);
  const order = new Map<string, number>();
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const row of layers) {
      if (!row) continue;
      if (sweep > 0 || row !== layers[0]) {
        const centre = (id: string) => {
          const ps = (parents.get(id) ?? [])
            .map((p) => order.get(p))
            .filter((v): v is number => v !== undefined);
          return ps.length === 0
            ? (order.get(id) ?? row.indexOf(id))
            : ps.reduce((a, b) => a + b, 0) / ps.length;
        };
        const keyed = row.map((id, index) => ({ id, key: centre(id), index }));
        keyed.sort((a, b) => a.key - b.key || a.index - b.index);
        row.splice(0, row.length, ...keyed.map((k) => k.id));
      }
      for (const [index, id] of row.entries()) order.set(id, index - (row.length - 1) / 2);
    }
  }

  const positions = new Map<string, NodePosition>();
  layers.forEach((row, depth) => {
    if (!row) return;
    for (const [index, id] of row.entries()) {
      positions.set(id, {
        x: Math.round((index - (row.length - 1) / 2) * spacing.nodeGap),
        y: depth * spacing.layerGap,
      });
    }
  });
  return positions;
}
