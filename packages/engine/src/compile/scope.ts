import type { FlowDocument, FlowNode } from "@parley/flow-schema";
import type { CompileProblem } from "./errors";
import type { MachineStateNode } from "./machine-schema";
import { specialStates } from "./names";
import { action } from "./params";
import { stateKeyOf } from "./state-key";

/** Handles that mean "this did not work": unconnected, they lead to the flow's fallback. */
const failureHandles: Partial<Record<FlowNode["kind"], string>> = {
  ask: "error",
  llm: "error",
  http: "error",
  intent: "fallback",
  knowledge: "noAnswer",
};

/** Compiler settings shared by every flow of one compilation. */
export interface CompileSettings {
  subflows: ReadonlyMap<string, FlowDocument>;
  defaultEffectTimeoutMs: number;
}

/**
 * What node compilers know about the flow they are in: its edges, whether it is the root flow
 * or an inlined subflow, and how to reach the special states. Internal to the compiler.
 */
export class FlowScope {
  readonly nodesById: ReadonlyMap<string, FlowNode>;
  private readonly nodeIndexes = new Map<string, number>();
  private readonly edges = new Map<string, string>();
  /** Set when a node routes to this scope's `$fallback` state, so it is emitted. */
  usesFallback = false;

  constructor(
    readonly flow: FlowDocument,
    readonly isRoot: boolean,
    /** Flow ids from the root to this flow, for recursion detection. */
    readonly callStack: readonly string[],
    readonly settings: CompileSettings,
    readonly problems: CompileProblem[],
  ) {
    this.nodesById = new Map(flow.nodes.map((node) => [node.id, node]));
    flow.nodes.forEach((node, index) => {
      if (!this.nodeIndexes.has(node.id)) this.nodeIndexes.set(node.id, index);
    });
    flow.edges.forEach((edge, index) => {
      if (!this.nodesById.has(edge.source) || !this.nodesById.has(edge.target)) {
        const missing = this.nodesById.has(edge.source) ? edge.target : edge.source;
        problems.push({
          nodeId: this.nodesById.has(edge.source) ? edge.source : null,
          path: this.path("edges", index),
          code: "dangling-edge",
          message: `edge ${edge.id} refers to node "${missing}", which does not exist`,
        });
        return;
      }
      // The first edge of a handle wins; duplicates are a validation problem, not a compile one.
      const key = `${edge.source}\u0000${edge.sourceHandle}`;
      if (!this.edges.has(key)) this.edges.set(key, edge.target);
    });
  }

  /** A path into the document, prefixed by the subflow chain when inlined. */
  path(...segments: (string | number)[]): (string | number)[] {
    return this.isRoot ? segments : ["subflows", this.flow.id, ...segments];
  }

  /** The path of a field of a node (`["nodes", 3, "data", "flowId"]`). */
  nodePath(node: FlowNode, ...segments: (string | number)[]): (string | number)[] {
    return this.path("nodes", this.nodeIndexes.get(node.id) ?? -1, ...segments);
  }

  /**
   * The target of a node's handle: the connected node, else (for failure handles) the flow's
   * fallback, else the end of the flow (completion at the root, return in a subflow).
   */
  targetOf(node: FlowNode, handle: string): string {
    const connected = this.edges.get(`${node.id}\u0000${handle}`);
    if (connected !== undefined) return stateKeyOf(connected);
    if (failureHandles[node.kind] === handle) return this.fallbackTarget();
    return this.isRoot ? specialStates.done : specialStates.return;
  }

  /** Where a failure with no connected error handle goes. */
  fallbackTarget(): string {
    this.usesFallback = true;
    return specialStates.fallback;
  }

  /** The failure handle of a node kind (if any). */
  failureHandleOf(node: FlowNode): string | undefined {
    return failureHandles[node.kind];
  }

  /** The `$fallback` state of this flow: say the message, then go to the fallback node or fail. */
  fallbackState(): MachineStateNode {
    const { message, nodeId } = this.flow.settings.fallback;
    const target =
      nodeId !== undefined && this.nodesById.has(nodeId) ? stateKeyOf(nodeId) : `#${specialStates.failed}`;
    return {
      entry: [action("sayFallback", { flowId: this.flow.id, message })],
      always: [{ target }],
    };
  }
}
