import type { Assignment } from "@parley/flow-schema";
import type { ActorInputs } from "../compile/params";
import { evaluateExpression } from "../expressions/jsonata";
import { type FlowContext, render, scopeOf } from "../interpret/context";
import type { TurnSession } from "../interpret/session";
import { callPort } from "./call-port";
import type { EffectOutput } from "./output";

/** Applies one literal or template assignment (synchronous kinds). */
export function staticValue(assignment: Assignment, context: FlowContext): unknown {
  const { value } = assignment;
  if (value.type === "literal") return value.value;
  if (value.type === "template") return render(value.template, context);
  throw new Error(`assignment to ${assignment.variable} needs an expression evaluation`);
}

/**
 * Evaluates a set-variable node's assignments in order (each sees the previous ones), JSONata
 * expressions under the expression budget and the default effect timeout. Rejects on failure:
 * the node has no error handle, so the machine takes the flow's fallback.
 */
export async function evaluateAssignments(
  session: TurnSession,
  input: ActorInputs["evaluateAssignments"],
  signal: AbortSignal,
): Promise<EffectOutput> {
  let context = session.currentContext();
  const vars: Record<string, unknown> = {};
  for (const assignment of input.assignments) {
    const { value } = assignment;
    let result: unknown;
    if (value.type === "expression") {
      const scope = scopeOf(context);
      result = await callPort(
        session,
        { nodeId: input.node, kind: "expression", timeoutMs: session.options.defaultEffectTimeoutMs, signal },
        () => evaluateExpression(value.expression, scope, session.options.expressionBudget),
      );
    } else {
      result = staticValue(assignment, context);
    }
    vars[assignment.variable] = result;
    context = { ...context, vars: { ...context.vars, [assignment.variable]: result } };
  }
  return { handle: "next", vars };
}
