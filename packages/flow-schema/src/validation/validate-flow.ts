import type { FlowDocument } from "../document";
import type { FlowProblem } from "../problems";
import { createValidationContext, type ValidateFlowOptions, type ValidationRule } from "./context";
import { checkHandlesAndEdges } from "./handles";
import { checkHttpHeaders } from "./http-headers";
import { checkHttpOperations } from "./http-operations";
import { checkJsonataSyntax } from "./jsonata";
import { checkLoopsWaitForInput } from "./loops";
import { checkNodeContent } from "./node-content";
import { checkNodeReferences } from "./node-references";
import { checkReachability } from "./reachability";
import { checkStartNode } from "./start-node";
import { checkTemplateSyntax } from "./templates";
import { checkUniqueIds } from "./unique-ids";
import { checkVariableDefaults, checkVariableUse } from "./variables";

/** The rules, in reporting order: structure first, then graph, then content. */
const rules: readonly ValidationRule[] = [
  checkStartNode,
  checkUniqueIds,
  checkHandlesAndEdges,
  checkNodeReferences,
  checkReachability,
  checkLoopsWaitForInput,
  checkVariableDefaults,
  checkTemplateSyntax,
  checkVariableUse,
  checkJsonataSyntax,
  checkNodeContent,
  checkHttpHeaders,
  checkHttpOperations,
];

/**
 * Checks the semantics of a flow whose shape is already valid (see `parseFlowDocument`), and
 * returns every problem found (empty when the flow is valid). Never throws; pure.
 */
export function validateFlow(flow: FlowDocument, options: ValidateFlowOptions = {}): FlowProblem[] {
  const { context, problems } = createValidationContext(flow, options);
  for (const rule of rules) rule(context);
  return problems;
}
