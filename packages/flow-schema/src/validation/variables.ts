import { variableReferencesOf } from "../references/variable-references-of";
import { isSystemVariablePath, SYSTEM_VARIABLE_NAMESPACE } from "../system-variables";
import { parseTemplate } from "../template/parse";
import { describeValueType, valueMatchesType } from "../value-types";
import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/**
 * Variable use:
 * - `undeclared-variable`: a read of a path whose root is neither a declared variable nor a
 *   system variable (`sys.<name>`), or a write to a name that is not declared (system variables
 *   are read-only); also checked in the fallback message template;
 * - `variable-type-mismatch`: a write whose value type is known (an ask answer, an extract field,
 *   a literal or template assignment, a saved status/intent/answer) into a variable of another
 *   type. A `date` may be stored into a `string` variable.
 */
export const checkVariableUse: ValidationRule = ({ flow, variablesByName, report, reportAtNode }) => {
  const declared = (path: string) => variablesByName.has(path.split(".")[0]!);

  flow.nodes.forEach((node, index) => {
    for (const reference of variableReferencesOf(node)) {
      if (reference.access === "read") {
        if (declared(reference.path) || isSystemVariablePath(reference.path)) continue;
        const root = reference.path.split(".")[0]!;
        reportAtNode(
          index,
          "undeclared-variable",
          root === SYSTEM_VARIABLE_NAMESPACE
            ? `"${reference.path}" is not a system variable`
            : `variable "${root}" is used but not declared; declare it in the flow's variables`,
          reference.location,
        );
        continue;
      }
      const variable = variablesByName.get(reference.path);
      if (!variable) {
        reportAtNode(
          index,
          "undeclared-variable",
          reference.path === SYSTEM_VARIABLE_NAMESPACE
            ? "system variables are read-only; save into a declared variable"
            : `variable "${reference.path}" is written but not declared; declare it in the flow's variables`,
          reference.location,
        );
      } else if (
        reference.writes !== undefined &&
        reference.writes !== variable.type &&
        !(reference.writes === "date" && variable.type === "string")
      ) {
        reportAtNode(
          index,
          "variable-type-mismatch",
          `${nodeName(node)} stores a ${reference.writes} into "${variable.name}", which is declared as ${variable.type}`,
          reference.location,
        );
      }
    }

    if (node.kind === "set-variable") {
      node.data.assignments.forEach((assignment, assignmentIndex) => {
        const variable = variablesByName.get(assignment.variable);
        if (!variable || assignment.value.type !== "literal") return;
        if (valueMatchesType(assignment.value.value, variable.type)) return;
        reportAtNode(
          index,
          "variable-type-mismatch",
          `the literal assigned to "${variable.name}" is a ${describeValueType(assignment.value.value)}, but the variable is declared as ${variable.type}`,
          ["data", "assignments", assignmentIndex, "value", "value"],
        );
      });
    }
  });

  for (const part of parseTemplate(flow.settings.fallback.message).parts) {
    if (part.type !== "path" || declared(part.path) || isSystemVariablePath(part.path)) continue;
    report(
      null,
      ["settings", "fallback", "message"],
      "undeclared-variable",
      `the fallback message uses "${part.path}", which is neither declared nor a system variable`,
    );
  }
};

/** `default-type-mismatch`: a variable whose default value does not fit its declared type. */
export const checkVariableDefaults: ValidationRule = ({ flow, report }) => {
  flow.variables.forEach((variable, index) => {
    if (variable.default === undefined || valueMatchesType(variable.default, variable.type)) return;
    const hint = variable.type === "date" ? " (an ISO 8601 string such as 2025-01-31)" : "";
    report(
      null,
      ["variables", index, "default"],
      "default-type-mismatch",
      `the default of "${variable.name}" is a ${describeValueType(variable.default)}, but the variable is declared as ${variable.type}${hint}`,
    );
  });
};
