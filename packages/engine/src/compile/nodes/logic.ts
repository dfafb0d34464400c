import {
  type AbSplitNode,
  type ConditionNode,
  durationToMs,
  type EndNode,
  type JumpNode,
  type SetVariableNode,
  type StartNode,
  type WaitNode,
} from "@parley/flow-schema";
import type { MachineStateNode, MachineTransition } from "../machine-schema";
import { specialStates, stateTags } from "../names";
import { action, guard } from "../params";
import { stateKeyOf } from "../state-key";
import { continueThrough, enterNode, type NodeCompiler } from "./common";

/** start: continue through `next`. */
export const compileStart: NodeCompiler<StartNode> = (node, scope) => ({
  entry: [enterNode(node)],
  always: continueThrough(node, scope),
});

/** condition: the first matching group's handle, else `else`. Rules are evaluated structurally. */
export const compileCondition: NodeCompiler<ConditionNode> = (node, scope) => ({
  entry: [enterNode(node)],
  always: [
    ...node.data.groups.map(
      (group): MachineTransition => ({
        guard: guard("conditionGroupMatches", { match: group.match, rules: group.rules }),
        target: scope.targetOf(node, group.id),
      }),
    ),
    { target: scope.targetOf(node, "else") },
  ],
});

/**
 * set-variable: literal and template assignments apply synchronously; any JSONata expression
 * makes the node an effect (JSONata evaluates asynchronously, under its budget), whose failure
 * takes the flow's fallback (the node has no error handle).
 */
export const compileSetVariable: NodeCompiler<SetVariableNode> = (node, scope) => {
  const { assignments } = node.data;
  const next = scope.targetOf(node, "next");
  if (!assignments.some((assignment) => assignment.value.type === "expression")) {
    return {
      entry: [enterNode(node), action("assignValues", { node: node.id, assignments })],
      always: [{ target: next }],
    };
  }
  return {
    entry: [enterNode(node)],
    invoke: {
      id: `fx:${node.id}`,
      src: "evaluateAssignments",
      input: { node: node.id, assignments },
      onDone: [{ target: next, actions: [action("assignEffectOutput", { node: node.id })] }],
      onError: [{ target: scope.fallbackTarget(), actions: [action("noteFailure", { node: node.id })] }],
    },
  };
};

/** jump: continue at the target node of the same flow. */
export const compileJump: NodeCompiler<JumpNode> = (node, scope) => {
  const exists = scope.nodesById.has(node.data.targetNodeId);
  if (!exists) {
    scope.problems.push({
      nodeId: node.id,
      path: scope.nodePath(node, "data", "targetNodeId"),
      code: "missing-jump-target",
      message: `jump target "${node.data.targetNodeId}" is not a node of flow ${scope.flow.id}`,
    });
  }
  return { entry: [enterNode(node)], always: [{ target: stateKeyOf(node.data.targetNodeId) }] };
};

/**
 * wait: request a timer and wait for it. User messages during the wait are kept for the next
 * ask; stale timer events (another timer id) are ignored.
 */
export const compileWait: NodeCompiler<WaitNode> = (node, scope) => ({
  tags: [stateTags.waiting, stateTags.timer],
  entry: [
    enterNode(node),
    action("scheduleTimer", { node: node.id, durationMs: durationToMs(node.data.duration) }),
    action("requestTimer", { node: node.id }),
  ],
  on: {
    "timer.fired": [
      { guard: guard("timerMatches"), target: scope.targetOf(node, "next"), actions: [action("clearTimer")] },
    ],
    "user.*": [{ actions: [action("keepPendingMessage")] }],
  },
});

/**
 * ab-split: each variant owns a bucket range [from, to) of 0..99; the bucket is a hash of the
 * conversation id, flow id and node id, so the assignment is sticky and reproducible.
 */
export const compileAbSplit: NodeCompiler<AbSplitNode> = (node, scope) => {
  const transitions: MachineTransition[] = [];
  let from = 0;
  for (const variant of node.data.variants) {
    // A weight-0 variant keeps an empty range: no bucket lands there, but an experiment may assign it.
    const to = from + variant.weight;
    transitions.push({
      guard: guard("abBucketIs", { node: node.id, flowId: scope.flow.id, from, to, variant: variant.id }),
      target: scope.targetOf(node, variant.id),
      actions: [action("recordVariant", { node: node.id, variant: variant.id })],
    });
    from = to;
  }
  // Weights that do not reach 100 (a validation problem) leave high buckets to the last variant.
  const last =
    [...node.data.variants].reverse().find((variant) => variant.weight > 0) ?? node.data.variants[0]!;
  transitions.push({
    target: scope.targetOf(node, last.id),
    actions: [action("recordVariant", { node: node.id, variant: last.id })],
  });
  return { entry: [enterNode(node)], always: transitions };
};

/** end: a final state. At the root it finishes the conversation; in a subflow it returns. */
export const compileEnd: NodeCompiler<EndNode> = (node, scope): MachineStateNode => {
  if (!scope.isRoot) return { type: "final", entry: [enterNode(node)] };
  return {
    type: "final",
    entry: [
      enterNode(node),
      action("finishConversation", { node: node.id, reason: "completed", outcome: node.data.outcome }),
    ],
  };
};

/** The root's completion state for unconnected handles. */
export function doneState(): MachineStateNode {
  return { type: "final", entry: [action("finishConversation", { reason: "completed" })] };
}

/** The root's failure state: the conversation ends with an error. */
export function failedState(): MachineStateNode {
  return {
    id: specialStates.failed,
    type: "final",
    entry: [action("finishConversation", { reason: "error" })],
  };
}
