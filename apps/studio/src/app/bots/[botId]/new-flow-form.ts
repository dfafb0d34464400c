import { createFlowInputSchema } from "@parley/contract";
import { z } from "zod";
import { withProblems } from "../../../components/ui/form-controls";

/*
 * The bot page's New flow form: a name (the contract's flow name), where the flow starts from (an
 * empty canvas, a template's id, or a JSON file), and the file's text when it is an import.
 */

/** The "Start from" choices that are not a template's id. */
export const EMPTY_SOURCE = "empty";
export const IMPORT_SOURCE = "import";

/** The contract's flow name; left empty it is absent (an import then takes the document's name). */
const flowName = z
  .string()
  .transform((name) => name.trim() || undefined)
  .pipe(createFlowInputSchema.shape.name);

/** The chosen file's text as the flow document it holds (a JSON object), or null when none is chosen. */
const flowFile = z
  .string()
  .nullable()
  .transform((text, ctx): Record<string, unknown> | null => {
    if (text === null) return null;
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "The file is not valid JSON." });
      return z.NEVER;
    }
    if (typeof document === "object" && document !== null && !Array.isArray(document))
      return document as Record<string, unknown>;
    ctx.addIssue({ code: "custom", message: "The file is not a flow document (a JSON object)." });
    return z.NEVER;
  })
  .pipe(createFlowInputSchema.shape.document.nullable());

/** The form: a name is needed unless the flow is imported; an import needs its file. */
export const newFlowForm = withProblems(
  z.object({ name: flowName, source: z.string().min(1), file: flowFile }),
  (flow): Record<string, string> => {
    if (flow.source === IMPORT_SOURCE) return flow.file === null ? { file: "choose a flow JSON file" } : {};
    return flow.name === undefined ? { name: "is required" } : {};
  },
);
/** What the New flow form holds. */
export type NewFlowValues = z.input<typeof newFlowForm>;
/** What it gives once checked. */
export type NewFlow = z.output<typeof newFlowForm>;

/** The source of `flows.create` the form's choice stands for. */
export function flowSourceOf(flow: NewFlow) {
  // The form checked that an import has its file.
  if (flow.source === IMPORT_SOURCE) return { type: "import" as const, document: flow.file ?? {} };
  if (flow.source === EMPTY_SOURCE) return { type: "empty" as const };
  return { type: "template" as const, templateId: flow.source };
}

/** The new flow's name: the one typed, or else an imported document's own. */
export function flowNameOf(flow: NewFlow): string {
  if (flow.name !== undefined) return flow.name;
  return flow.file && typeof flow.file.name === "string" && flow.file.name.trim() !== ""
    ? flow.file.name.trim()
    : "Imported flow";
}

/**
 * The server's problems of an imported document (their paths are inside it) as one problem of the
 * file field, or undefined when there are none.
 */
export function documentProblem(issues: Readonly<Record<string, string>>): string | undefined {
  const problems = Object.entries(issues)
    .filter(([path]) => path !== "name")
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
  return problems.length > 0 ? `The file is not a valid flow: ${problems.join("; ")}` : undefined;
}
