import type { FlowDocument } from "../document";
import type { FlowNode } from "../nodes/flow-node";
import type { FlowPath, FlowProblem, FlowProblemCode } from "../problems";
import type { VariableDeclaration } from "../variables";

/** Options of `validateFlow`. */
export interface ValidateFlowOptions {
  /**
   * Whether a flow with this id exists in the same bot (for subflow nodes). Without it, only an
   * empty `flowId` is reported as `unknown-subflow`.
   */
  readonly flowExists?: (flowId: string) => boolean;
  /**
   * The variable names declared by another flow of the bot, or undefined when unknown. When given,
   * the `child` names of subflow inputs and outputs are checked against the called flow.
   */
  readonly flowVariables?: (flowId: string) => readonly string[] | undefined;
  /**
   * The operations of the connector an integration (id or name) was created from: `undefined` when
   * unknown (not checked), `null` when the integration has no connector. When given, http nodes'
   * `operation` and required inputs are checked against it.
   */
  readonly integrationOperations?: (
    integration: string,
  ) => readonly { id: string; requiredInputs: readonly string[] }[] | null | undefined;
}

/**
 * Shared, precomputed facts a validation rule reads. Internal to the validation module.
 */
export interface ValidationContext {
  readonly flow: FlowDocument;
  readonly options: ValidateFlowOptions;
  /** First node with each id, with its index in `flow.nodes`. */
  readonly nodesById: ReadonlyMap<string, { readonly node: FlowNode; readonly index: number }>;
  /** First declaration of each variable name. */
  readonly variablesByName: ReadonlyMap<string, VariableDeclaration>;
  /** Records a problem at a node (`location` relative to the node). */
  readonly reportAtNode: (
    index: number,
    code: FlowProblemCode,
    message: string,
    location?: readonly (string | number)[],
  ) => void;
  /** Records a problem at a path from the document root. */
  readonly report: (nodeId: string | null, path: FlowPath, code: FlowProblemCode, message: string) => void;
}

/** A validation rule: reads the context, reports problems. */
export type ValidationRule = (context: ValidationContext) => void;

/** Builds the context and the list it reports into. */
export function createValidationContext(
  flow: FlowDocument,
  options: ValidateFlowOptions,
): { context: ValidationContext; problems: FlowProblem[] } {
  const problems: FlowProblem[] = [];
  const nodesById = new Map<string, { node: FlowNode; index: number }>();
  flow.nodes.forEach((node, index) => {
    if (!nodesById.has(node.id)) nodesById.set(node.id, { node, index });
  });
  const variablesByName = new Map<string, VariableDeclaration>();
  for (const variable of flow.variables) {
    if (!variablesByName.has(variable.name)) variablesByName.set(variable.name, variable);
  }
  const report: ValidationContext["report"] = (nodeId, path, code, message) => {
    problems.push({ nodeId, path: [...path], code, message });
  };
  const reportAtNode: ValidationContext["reportAtNode"] = (index, code, message, location = []) => {
    const node = flow.nodes[index];
    report(node?.id ?? null, ["nodes", index, ...location], code, message);
  };
  return { context: { flow, options, nodesById, variablesByName, report, reportAtNode }, problems };
}
