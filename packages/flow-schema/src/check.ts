import type { FlowDocument } from "./document";
import type { MigrateFlowOptions } from "./migrations";
import { parseFlowDocument } from "./parse";
import type { FlowProblem } from "./problems";
import type { ValidateFlowOptions } from "./validation/context";
import { validateFlow } from "./validation/validate-flow";

/** Options of `checkFlow`: validation options plus migration options. */
export type CheckFlowOptions = ValidateFlowOptions & MigrateFlowOptions;

/** The result of `checkFlow`. `flow` is present whenever the shape is valid, even with problems. */
export type CheckFlowResult =
  | { readonly ok: true; readonly flow: FlowDocument; readonly problems: FlowProblem[] }
  | { readonly ok: false; readonly flow: FlowDocument | null; readonly problems: FlowProblem[] };

/**
 * Parses (with migration) and validates an untrusted flow document: shape problems when the shape
 * is wrong, otherwise every semantic problem. `ok` is true only when there is no problem at all.
 */
export function checkFlow(input: unknown, options: CheckFlowOptions = {}): CheckFlowResult {
  const parsed = parseFlowDocument(input, options);
  if (!parsed.ok) return { ok: false, flow: null, problems: parsed.problems };
  const problems = validateFlow(parsed.flow, options);
  return problems.length === 0
    ? { ok: true, flow: parsed.flow, problems: [] }
    : { ok: false, flow: parsed.flow, problems };
}
