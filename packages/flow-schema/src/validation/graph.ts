import type { ValidationContext } from "./context";

/**
 * The control-flow graph of a flow as node indexes: for each node, the nodes it can continue to
 * through its edges and, for a jump, its target. Dangling edges and missing targets are left
 * out (reported by their own rules). Internal to validation.
 */
export function successorIndexes({ flow, nodesById }: ValidationContext): number[][] {
  const successors = flow.nodes.map(() => new Set<number>());
  for (const edge of flow.edges) {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    if (source && target) successors[source.index]?.add(target.index);
  }
  flow.nodes.forEach((node, index) => {
    if (node.kind !== "jump") return;
    const target = nodesById.get(node.data.targetNodeId);
    if (target) successors[index]?.add(target.index);
  });
  return successors.map((set) => [...set].sort((a, b) => a - b));
}

/**
 * Strongly connected components of a graph (Tarjan's algorithm, iterative so that long chains
 * cannot overflow the stack). Each component lists node indexes in ascending order.
 */
export function stronglyConnectedComponents(successors: readonly (readonly number[])[]): number[][] {
  const order = new Array<number>(successors.length).fill(-1);
  const lowLink = new Array<number>(successors.length).fill(0);
  const onStack = new Array<boolean>(successors.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < successors.length; root++) {
    if (order[root] !== -1) continue;
    // Each frame: a node and the position of the next successor to visit.
    const frames: [number, number][] = [[root, 0]];
    order[root] = lowLink[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      const [node, next] = frame;
      const targets = successors[node] ?? [];
      if (next < targets.length) {
        frame[1] = next + 1;
        const target = targets[next]!;
        if (order[target] === -1) {
          order[target] = lowLink[target] = counter++;
          stack.push(target);
          onStack[target] = true;
          frames.push([target, 0]);
        } else if (onStack[target]) {
          lowLink[node] = Math.min(lowLink[node]!, order[target]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent) lowLink[parent[0]] = Math.min(lowLink[parent[0]]!, lowLink[node]!);
      if (lowLink[node] === order[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component.push(member);
        } while (member !== node);
        components.push(component.sort((a, b) => a - b));
      }
    }
  }
  return components;
}
