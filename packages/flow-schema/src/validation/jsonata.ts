import jsonata from "jsonata";
import { expressionsOf } from "../references/expressions-of";
import type { ValidationRule } from "./context";

/** The message of a JSONata syntax error, or null when the expression parses. Never evaluates it. */
export function jsonataSyntaxError(expression: string): string | null {
  try {
    jsonata(expression); // parses only; evaluation would need `.evaluate()`
    return null;
  } catch (error) {
    const { message, position } = error as { message?: string; position?: number };
    const where = typeof position === "number" ? ` (at character ${position})` : "";
    return `${message ?? String(error)}${where}`;
  }
}

/** `invalid-jsonata`: a set-variable, http body or response-mapping expression that does not parse. */
export const checkJsonataSyntax: ValidationRule = ({ flow, reportAtNode }) => {
  flow.nodes.forEach((node, index) => {
    for (const { expression, location } of expressionsOf(node)) {
      const error = jsonataSyntaxError(expression);
      if (error !== null)
        reportAtNode(index, "invalid-jsonata", `invalid JSONata expression: ${error}`, location);
    }
  });
};
