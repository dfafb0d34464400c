import { type ConnectorDefinition, connectorDefinitionSchema } from "@parley/contract";
import { checkExpressionSyntax } from "@parley/engine";

/** One mistake in a connector definition: where (dotted path from the definition's root) and what. */
export interface DefinitionMistake {
  path: string;
  message: string;
}

/**
 * A connector definition that was refused at load: the message names the connector and the path of
 * every mistake (`operations.0.inputs.1.in: ...`).
 */
export class ConnectorDefinitionError extends Error {
  override readonly name = "ConnectorDefinitionError";
  constructor(
    readonly connector: string,
    readonly mistakes: readonly DefinitionMistake[],
  ) {
    super(
      `connector definition "${connector}" is refused: ${mistakes.map((m) => `${m.path}: ${m.message}`).join("; ")}`,
    );
  }
}

const pathOf = (path: readonly PropertyKey[]) => (path.length === 0 ? "(root)" : path.map(String).join("."));

/** JSONata mistakes (the schema checks shape; expressions are parsed here, where JSONata lives). */
function expressionMistakes(definition: ConnectorDefinition): DefinitionMistake[] {
  const mistakes: DefinitionMistake[] = [];
  definition.operations.forEach((operation, index) => {
    const checks: [string, string | undefined][] = [
      [`operations.${index}.body.template`, operation.body?.template],
      [`operations.${index}.response`, operation.response],
    ];
    for (const [path, source] of checks) {
      if (source === undefined) continue;
      const problem = checkExpressionSyntax(source);
      if (problem) mistakes.push({ path, message: `not a valid JSONata expression: ${problem}` });
    }
  });
  definition.settings.forEach((setting, index) => {
    if (setting.default !== undefined && !new RegExp(`^(?:${setting.pattern})$`).test(setting.default)) {
      mistakes.push({ path: `settings.${index}.default`, message: "does not match the setting's pattern" });
    }
  });
  return mistakes;
}

/**
 * Validates a connector definition (data: JSON or a TS object) and answers it with defaults applied,
 * or throws {@link ConnectorDefinitionError} naming the path of each mistake: shape (zod),
 * placeholders without a setting or path input, duplicate ids and names, JSONata syntax.
 */
export function loadConnectorDefinition(raw: unknown): ConnectorDefinition {
  const label =
    typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string"
      ? (raw as { id: string }).id
      : "(no id)";
  const parsed = connectorDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConnectorDefinitionError(
      label,
      parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
    );
  }
  const mistakes = expressionMistakes(parsed.data);
  if (mistakes.length > 0) throw new ConnectorDefinitionError(label, mistakes);
  return parsed.data;
}
