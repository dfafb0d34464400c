/**
 * A generated flow of `size` nodes that exercises the compiler: messages, asks, conditions,
 * set-variable nodes and http nodes wired in a long chain with side branches.
 */
export function generateLargeFlow(size: number): Record<string, unknown> {
  const position = { x: 0, y: 0 };
  const nodes: Record<string, unknown>[] = [{ id: "start", kind: "start", position, data: {} }];
  const edges: Record<string, unknown>[] = [];
  const connect = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `${source}:${sourceHandle}`, source, sourceHandle, target });
  let previous = { id: "start", handle: "next" };
  for (let index = 1; index < size; index += 1) {
    const id = `node-${index}`;
    switch (index % 5) {
      case 0:
        nodes.push({ id, kind: "message", position, data: { text: `Step ${index} for {{ name }}` } });
        connect(previous.id, previous.handle, id);
        previous = { id, handle: "next" };
        break;
      case 1:
        nodes.push({
          id,
          kind: "ask",
          position,
          data: { prompt: `Question ${index}?`, input: { type: "number", integer: true }, saveTo: "count" },
        });
        connect(previous.id, previous.handle, id);
        connect(id, "error", "start");
        previous = { id, handle: "next" };
        break;
      case 2:
        nodes.push({
          id,
          kind: "condition",
          position,
          data: { groups: [{ id: "big", rules: [{ variable: "count", operator: "gt", value: index }] }] },
        });
        connect(previous.id, previous.handle, id);
        connect(id, "big", "start");
        previous = { id, handle: "else" };
        break;
      case 3:
        nodes.push({
          id,
          kind: "set-variable",
          position,
          data: {
            assignments: [{ variable: "name", value: { type: "template", template: "visitor {{ count }}" } }],
          },
        });
        connect(previous.id, previous.handle, id);
        previous = { id, handle: "next" };
        break;
      default:
        nodes.push({
          id,
          kind: "http",
          position,
          data: {
            url: "https://api.example.com/step/{{ count }}",
            responseMapping: [{ variable: "name", expression: "body.name" }],
          },
        });
        connect(previous.id, previous.handle, id);
        connect(id, "error", "start");
        previous = { id, handle: "success" };
    }
  }
  return {
    version: 1,
    id: "large",
    name: "Large generated flow",
    nodes,
    edges,
    variables: [
      { name: "name", type: "string" },
      { name: "count", type: "number" },
    ],
  };
}
