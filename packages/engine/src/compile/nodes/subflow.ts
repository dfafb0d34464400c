import type { FlowDocument, SubflowNode } from "@parley/flow-schema";
import type { MachineStateNode } from "../machine-schema";
import { action } from "../params";
import { FlowScope } from "../scope";
import { enterNode } from "./common";

/**
 * Compiles a whole flow (root or inlined subflow) into its states. Provided by the flow compiler
 * so node compilers can recurse without an import cycle.
 */
export type FlowStatesCompiler = (scope: FlowScope) => {
  initial: string;
  states: Record<string, MachineStateNode>;
};

/**
 * subflow: the called flow is inlined as a compound state (design: inlining keeps the machine
 * one static JSON document that XState runs and persists as one snapshot; the called flow's
 * published document is taken from `options.subflows` at compile time).
 *
 * - Entry pushes the caller's variables on a stack and starts the callee's own variables from
 *   its defaults plus `inputs`; contact-scoped variables of the callee are copied in by name.
 * - The callee's `end` nodes (and unconnected handles) are final states; reaching one completes
 *   the compound state, whose `onDone` copies `outputs` (and contact-scoped variables) back,
 *   pops the stack and continues through `next`.
 * - Recursion (a flow calling itself directly or through others) cannot be inlined and is a
 *   compile error naming the chain; a missing flow is a compile error too.
 */
export function compileSubflow(
  node: SubflowNode,
  scope: FlowScope,
  compileFlowStates: FlowStatesCompiler,
): MachineStateNode {
  const calleeId = node.data.flowId;
  const next = scope.targetOf(node, "next");
  const placeholder: MachineStateNode = {
    entry: [enterNode(node)],
    always: [{ target: scope.fallbackTarget() }],
  };

  if (scope.callStack.includes(calleeId)) {
    scope.problems.push({
      nodeId: node.id,
      path: scope.nodePath(node, "data", "flowId"),
      code: "subflow-recursion",
      message: `subflow calls ${[...scope.callStack, calleeId].join(" -> ")}: a flow cannot call itself`,
    });
    return placeholder;
  }
  const callee: FlowDocument | undefined = scope.settings.subflows.get(calleeId);
  if (!callee) {
    scope.problems.push({
      nodeId: node.id,
      path: scope.nodePath(node, "data", "flowId"),
      code: "unknown-subflow",
      message: `subflow "${calleeId}" was not provided to the compiler (options.subflows)`,
    });
    return placeholder;
  }

  const calleeScope = new FlowScope(
    callee,
    false,
    [...scope.callStack, calleeId],
    scope.settings,
    scope.problems,
  );
  const { initial, states } = compileFlowStates(calleeScope);
  const defaults: Record<string, unknown> = {};
  const shared: string[] = [];
  for (const variable of callee.variables) {
    if (variable.default !== undefined) defaults[variable.name] = variable.default;
    if (variable.scope === "contact") shared.push(variable.name);
  }
  return {
    entry: [
      enterNode(node),
      action("enterSubflow", { node: node.id, flowId: calleeId, inputs: node.data.inputs, defaults, shared }),
    ],
    initial,
    states,
    onDone: [
      {
        target: next,
        actions: [action("exitSubflow", { node: node.id, outputs: node.data.outputs, shared })],
      },
    ],
  };
}
