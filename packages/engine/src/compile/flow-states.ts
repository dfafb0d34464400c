import type { FlowNode } from "@parley/flow-schema";
import type { MachineStateNode, MachineTransition } from "./machine-schema";
import { specialStates } from "./names";
import type { NodeCompiler } from "./nodes/common";
import { compileAsk, compileHandoff, compileMessage } from "./nodes/conversation";
import { compileHttp, compileIntent, compileKnowledge, compileLlm } from "./nodes/effects";
import {
  compileAbSplit,
  compileCondition,
  compileEnd,
  compileJump,
  compileSetVariable,
  compileStart,
  compileWait,
} from "./nodes/logic";
import { compileSubflow } from "./nodes/subflow";
import type { FlowScope } from "./scope";
import { stateKeyOf } from "./state-key";

type Compilers = { [K in FlowNode["kind"]]: NodeCompiler<Extract<FlowNode, { kind: K }>> };

const compilers: Compilers = {
  start: compileStart,
  message: compileMessage,
  ask: compileAsk,
  condition: compileCondition,
  "set-variable": compileSetVariable,
  http: compileHttp,
  llm: compileLlm,
  intent: compileIntent,
  knowledge: compileKnowledge,
  handoff: compileHandoff,
  subflow: (node, scope) => compileSubflow(node, scope, compileFlowStates),
  jump: compileJump,
  wait: compileWait,
  "ab-split": compileAbSplit,
  end: compileEnd,
};

function compileNode(node: FlowNode, scope: FlowScope): MachineStateNode {
  const compiler = compilers[node.kind] as NodeCompiler;
  return markSelfTransitions(stateKeyOf(node.id), compiler(node, scope));
}

/**
 * XState 5 does not re-enter a state on a transition to itself unless asked. A node whose
 * handle leads back to itself (a retrying http node, a subflow called again) must run again,
 * so those transitions get `reenter: true`.
 */
function markSelfTransitions(key: string, state: MachineStateNode): MachineStateNode {
  const mark = (transitions: MachineTransition[] | undefined) => {
    for (const transition of transitions ?? []) if (transition.target === key) transition.reenter = true;
  };
  mark(state.always);
  for (const transitions of Object.values(state.on ?? {})) mark(transitions);
  mark(state.invoke?.onDone);
  mark(state.invoke?.onError);
  mark(state.onDone);
  return state;
}

/**
 * Compiles every node of a flow into a state keyed by its (encoded) node id, in node-id order
 * so the output does not depend on the order nodes were drawn. Adds the scope's special states
 * (`$fallback` when used; `$return` in subflows). Internal to the compiler.
 */
export function compileFlowStates(scope: FlowScope): {
  initial: string;
  states: Record<string, MachineStateNode>;
} {
  const starts = scope.flow.nodes.filter((node) => node.kind === "start");
  if (starts.length !== 1) {
    scope.problems.push({
      nodeId: starts[1]?.id ?? null,
      path: scope.path("nodes"),
      code: starts.length === 0 ? "missing-start" : "multiple-starts",
      message:
        starts.length === 0
          ? `flow ${scope.flow.id} has no start node`
          : `flow ${scope.flow.id} has ${starts.length} start nodes (${starts.map((node) => node.id).join(", ")})`,
    });
  }
  const states: Record<string, MachineStateNode> = {};
  const ordered = [...scope.flow.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const node of ordered) states[stateKeyOf(node.id)] = compileNode(node, scope);
  if (scope.usesFallback) states[specialStates.fallback] = scope.fallbackState();
  if (!scope.isRoot) states[specialStates.return] = { type: "final" };
  const initial = starts[0] ? stateKeyOf(starts[0].id) : specialStates.return;
  return { initial, states };
}
