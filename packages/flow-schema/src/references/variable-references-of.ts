import type { AskInput } from "../nodes/ask";
import type { FlowNode } from "../nodes/flow-node";
import { parseTemplate } from "../template/parse";
import type { VariableType } from "../variables";
import { templatesOf } from "./templates-of";

/** A place where a node reads or writes a variable. */
export interface VariableReference {
  /** `read`: the node reads the path; `write`: the node stores a value into the variable. */
  readonly access: "read" | "write";
  /** The variable path (`order.size`, `sys.channel`); for writes, a plain variable name. */
  readonly path: string;
  /** Where the reference is, relative to the node (`["data", "saveTo"]`). */
  readonly location: readonly (string | number)[];
  /** For writes whose value type is known statically: the type written. */
  readonly writes?: VariableType;
}

/** The type an `ask` node stores for its input type. */
export function answerTypeOf(input: AskInput): VariableType {
  switch (input.type) {
    case "number":
      return "number";
    case "date":
      return "date";
    case "choice":
      return input.multiple ? "list" : "string";
    case "text":
    case "email":
    case "phone":
      return "string";
  }
}

/**
 * Every variable a node reads (template placeholders, condition rules, subflow inputs) or writes
 * (ask answers, assignments, response mappings, extract fields, saved intents and answers,
 * subflow outputs). JSONata expressions are not analysed: they may read any variable.
 * Subflow `child` names belong to the called flow and are not included.
 */
export function variableReferencesOf(node: FlowNode): VariableReference[] {
  const found: VariableReference[] = [];
  const read = (path: string, ...location: (string | number)[]): void => {
    found.push({ access: "read", path, location: ["data", ...location] });
  };
  const write = (
    path: string | undefined,
    writes: VariableType | undefined,
    ...location: (string | number)[]
  ) => {
    if (path === undefined) return;
    found.push(
      writes === undefined
        ? { access: "write", path, location: ["data", ...location] }
        : { access: "write", path, location: ["data", ...location], writes },
    );
  };

  for (const { template, location } of templatesOf(node)) {
    for (const part of parseTemplate(template).parts) {
      if (part.type === "path") found.push({ access: "read", path: part.path, location });
    }
  }

  switch (node.kind) {
    case "ask":
      write(node.data.saveTo, answerTypeOf(node.data.input), "saveTo");
      break;
    case "condition":
      node.data.groups.forEach((group, g) => {
        group.rules.forEach((rule, r) => {
          read(rule.variable, "groups", g, "rules", r, "variable");
          if (
            "value" in rule &&
            typeof rule.value === "object" &&
            rule.value !== null &&
            !Array.isArray(rule.value)
          ) {
            read(rule.value.variable, "groups", g, "rules", r, "value", "variable");
          }
        });
      });
      break;
    case "set-variable":
      node.data.assignments.forEach((assignment, index) => {
        const writes = assignment.value.type === "template" ? "string" : undefined;
        write(assignment.variable, writes, "assignments", index, "variable");
      });
      break;
    case "http":
      for (const [index, mapping] of node.data.responseMapping.entries()) {
        write(mapping.variable, undefined, "responseMapping", index, "variable");
      }
      write(node.data.saveStatusTo, "number", "saveStatusTo");
      break;
    case "llm":
      if (node.data.mode.type === "reply") write(node.data.mode.saveTo, "string", "mode", "saveTo");
      else {
        for (const [index, field] of node.data.mode.fields.entries()) {
          write(field.variable, field.type, "mode", "fields", index, "variable");
        }
      }
      break;
    case "intent":
      write(node.data.saveIntentTo, "string", "saveIntentTo");
      for (const [index, entity] of node.data.entities.entries()) {
        const writes = entity.type === "number" ? "number" : entity.type === "date" ? "date" : "string";
        write(entity.saveTo, writes, "entities", index, "saveTo");
      }
      break;
    case "knowledge":
      write(node.data.saveAnswerTo, "string", "saveAnswerTo");
      break;
    case "subflow":
      for (const [index, input] of node.data.inputs.entries()) read(input.parent, "inputs", index, "parent");
      for (const [index, output] of node.data.outputs.entries()) {
        write(output.parent, undefined, "outputs", index, "parent");
      }
      break;
    case "start":
    case "message":
    case "handoff":
    case "jump":
    case "wait":
    case "ab-split":
    case "end":
      break;
  }
  return found;
}
