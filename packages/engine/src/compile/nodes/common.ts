import type { FlowNode } from "@parley/flow-schema";
import type { MachineStateNode, MachineTransition } from "../machine-schema";
import type { FlowScope } from "../scope";

/** Compiles one node kind into its state. Internal to the compiler. */
export type NodeCompiler<N extends FlowNode = FlowNode> = (node: N, scope: FlowScope) => MachineStateNode;

/** The first entry action of every node state: trace and the per-turn visit budget. */
export function enterNode(node: FlowNode) {
  return { type: "enterNode" as const, params: { node: node.id, kind: node.kind } };
}

/** A single unguarded transition to the node behind `handle`. */
export function continueThrough(node: FlowNode, scope: FlowScope, handle = "next"): MachineTransition[] {
  return [{ target: scope.targetOf(node, handle) }];
}

/** Typing delay params for messages, only when the flow sets one (keeps machine JSON small). */
export function typingParams(scope: FlowScope): { typingMs?: number } {
  const typingMs = scope.flow.settings.typingDelayMs;
  return typingMs > 0 ? { typingMs } : {};
}

/** Drops `undefined` fields so machine JSON holds only JSON. */
export function defined<T extends Record<string, unknown>>(record: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
  return result as T;
}
