import { nodeWaitsFor } from "../catalog";
import type { ValidationRule } from "./context";
import { stronglyConnectedComponents, successorIndexes } from "./graph";

/**
 * `loop-without-input`: a cycle (through edges and jumps) in which no node waits for input (a user
 * message, a timer or an agent), so a turn entering it would never stop. Reported once per cycle,
 * at its first node in document order. A subflow node counts as possibly waiting, since the
 * called flow is not known here.
 */
export const checkLoopsWaitForInput: ValidationRule = (context) => {
  const { flow, reportAtNode } = context;
  const successors = successorIndexes(context);
  for (const component of stronglyConnectedComponents(successors)) {
    const first = component[0]!;
    const isCycle = component.length > 1 || (successors[first]?.includes(first) ?? false);
    if (!isCycle) continue;
    const mayWait = component.some((index) => {
      const node = flow.nodes[index]!;
      return node.kind === "subflow" || nodeWaitsFor(node.kind) !== null;
    });
    if (mayWait) continue;
    const ids = component.map((index) => `"${flow.nodes[index]!.id}"`).join(", ");
    reportAtNode(
      first,
      "loop-without-input",
      `nodes ${ids} form a loop with no ask, wait or handoff node, so it would run forever; add a node that waits for input`,
    );
  }
};
