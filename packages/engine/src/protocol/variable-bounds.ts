import { valueBoundsProblem } from "../expressions/json-size";

/** How deep a variable value given from outside (start or handoff variables) may nest. */
export const MAX_VARIABLE_DEPTH = 32;
/** JSON size (characters) a variable value given from outside may have. */
export const MAX_VARIABLE_SIZE = 100_000;

/** A variable whose value is out of bounds, and why. */
export interface VariableBoundsProblem {
  name: string;
  message: string;
}

/**
 * Checks variable values given from outside a flow (start and handoff variables): each may
 * nest at most {@link MAX_VARIABLE_DEPTH} levels and weigh at most {@link MAX_VARIABLE_SIZE}
 * characters of JSON. Iterative, so a 20,000-deep array is refused rather than overflowing a
 * stack later (in JSONata, serialisers or the database driver). Returns the first problem.
 *
 * @example
 * variableBoundsProblem({ order: { size: "L" } }); // null
 */
export function variableBoundsProblem(variables: Record<string, unknown>): VariableBoundsProblem | null {
  for (const [name, value] of Object.entries(variables)) {
    const problem = valueBoundsProblem(value, MAX_VARIABLE_DEPTH, MAX_VARIABLE_SIZE);
    if (problem) return { name, message: `the value of variable ${name} ${problem}` };
  }
  return null;
}
