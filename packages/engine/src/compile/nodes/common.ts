import type { FlowNode } from "@parley/flow-schema";
import type { MachineActionRef, MachineStateNode, MachineTransition } from "../machine-schema";
import { action } from "../params";
import type { FlowScope } from "../scope";

/** Compiles one node kind into its state. Internal to the compiler. */
export type NodeCompiler<N extends FlowNode = FlowNode> = (node: N, scope: FlowScope) => MachineStateNode;

/** The first entry action of every node state: trace and the per-turn visit budget. */
export function enterNode(node: FlowNode): MachineActionRef {
  return action("enterNode", { node: node.id, kind: node.kind });
}

/** A single unguarded transition to the node behind `handle`. */
export function continueThrough(node: FlowNode, scope: FlowScope, handle = "next"): MachineTransition[] {
  return [{ target: scope.targetOf(node, handle) }];
}

/** Typing delay param for messages, only when the flow sets one (keeps machine JSON small). */
export function typingParams(scope: FlowScope): { typingMs?: number } {
  const typingMs = scope.flow.settings.typingDelayMs;
  return typingMs > 0 ? { typingMs } : {};
}
