/** A node of a flow document for tests: laid out in one column at height `y`, labelled by its id. */
export function flowNode(id: string, kind: string, data: Record<string, unknown>, y = 0) {
  return { id, kind, position: { x: 0, y }, label: id, data };
}

/** An edge of a flow document for tests, from `source`'s `handle` to `target`. */
export function flowEdge(source: string, handle: string, target: string) {
  return { id: `${source}:${handle}:${target}`, source, sourceHandle: handle, target };
}
