import { CLIENT_VARIABLES_BOUNDS, jsonDepthProblem } from "@parley/contract";
import { describeValueType, valueMatchesType } from "@parley/flow-schema";
import type { ServiceContext } from "../context";
import { type FieldIssue, ServiceError } from "../errors";
import type { LoadedVersion } from "./versions";

function refuse(code: string, message: string, errors: FieldIssue[]): never {
  throw new ServiceError("invalid", code, message, { errors });
}

/**
 * Checks the variables a start request presets (internal). Every caller: each must be declared by
 * the flow (`unknown-variable`) and fit its declared type (`variable-type-mismatch`). A publishable
 * key (the widget: anyone on the internet) may set only variables the flow marks
 * `clientSettable` (`variable-not-client-settable`), at most 5 levels deep (`variables-too-deep`) and
 * 8 KB in all (`variables-too-large`).
 */
export function checkStartVariables(
  ctx: ServiceContext,
  version: LoadedVersion,
  given: Record<string, unknown>,
): void {
  const names = Object.keys(given);
  const unknown = names.filter((name) => !version.declarations.has(name));
  if (unknown.length > 0) {
    refuse(
      "unknown-variable",
      `the flow declares no variable named ${unknown.join(", ")}`,
      unknown.map((name) => ({ path: `variables.${name}`, message: "not declared by the flow" })),
    );
  }
  if (ctx.actor.type === "widget") {
    const closed = names.filter((name) => !version.declarations.get(name)?.clientSettable);
    if (closed.length > 0) {
      refuse(
        "variable-not-client-settable",
        `a publishable key may not preset ${closed.join(", ")}: the flow does not mark ${closed.length === 1 ? "it" : "them"} clientSettable`,
        closed.map((name) => ({ path: `variables.${name}`, message: "not clientSettable in the flow" })),
      );
    }
    const { maxDepth, maxBytes } = CLIENT_VARIABLES_BOUNDS;
    const deep = names.filter((name) => jsonDepthProblem(given[name], maxDepth) !== undefined);
    if (deep.length > 0) {
      refuse(
        "variables-too-deep",
        `${deep.join(", ")} nest${deep.length === 1 ? "s" : ""} deeper than ${maxDepth} levels`,
        deep.map((name) => ({ path: `variables.${name}`, message: `nested deeper than ${maxDepth} levels` })),
      );
    }
    const bytes = new TextEncoder().encode(JSON.stringify(given)).length;
    if (bytes > maxBytes) {
      refuse("variables-too-large", `the variables take ${bytes} bytes as JSON; at most ${maxBytes}`, [
        { path: "variables", message: `at most ${maxBytes} bytes as JSON` },
      ]);
    }
  }
  const mistyped = names.filter((name) => {
    const declared = version.declarations.get(name);
    return declared !== undefined && given[name] !== null && !valueMatchesType(given[name], declared.type);
  });
  if (mistyped.length > 0) {
    refuse(
      "variable-type-mismatch",
      mistyped
        .map(
          (name) =>
            `${name} is declared ${version.declarations.get(name)?.type}, got ${describeValueType(given[name])}`,
        )
        .join("; "),
      mistyped.map((name) => ({
        path: `variables.${name}`,
        message: `expected ${version.declarations.get(name)?.type}, got ${describeValueType(given[name])}`,
      })),
    );
  }
}
