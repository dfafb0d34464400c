import type { FlowNode } from "./nodes/flow-node";

/**
 * Names of the fixed output handles. Branching nodes add handles named after their items
 * (condition group ids, intent names, ab-split variant ids).
 */
export const standardHandles = {
  /** The normal continuation. */
  next: "next",
  /** An ask that ran out of retries; an llm call that failed. */
  error: "error",
  /** A condition where no group matched. */
  else: "else",
  /** An http call that got a 2xx response. */
  success: "success",
  /** An intent node where no intent reached the threshold (or classification failed). */
  fallback: "fallback",
  /** A knowledge node that found a grounded answer. */
  answered: "answered",
  /** A knowledge node that found no answer (or the lookup failed). */
  noAnswer: "noAnswer",
} as const;

/** A named output handle with a human label (for the studio). */
export interface OutputHandle {
  /** The handle name an edge's `sourceHandle` refers to. */
  readonly id: string;
  /** Text to draw next to the handle. */
  readonly label: string;
}

const NEXT: OutputHandle = { id: standardHandles.next, label: "Next" };
const ERROR: OutputHandle = { id: standardHandles.error, label: "Error" };

/**
 * The named output handles of a node, in drawing order, with labels:
 *
 * | kind | handles |
 * |---|---|
 * | start, message, set-variable, handoff, subflow, wait | `next` |
 * | ask | `next` (valid answer), `error` (retries exhausted) |
 * | llm | `next`, `error` (timeout, provider failure, invalid extraction) |
 * | http | `success` (2xx), `error` (other status, timeout, network, mapping) |
 * | condition | one per group `id` in order, then `else` |
 * | intent | one per intent `name` in order, then `fallback` (also on classification failure) |
 * | knowledge | `answered`, `noAnswer` (also on lookup failure) |
 * | ab-split | one per variant `id` |
 * | jump, end | none |
 *
 * Handles come straight from the data: duplicated item ids give duplicated handles, which
 * `validateFlow` reports as `duplicate-handle`.
 */
export function describeOutputHandles(node: FlowNode): OutputHandle[] {
  switch (node.kind) {
    case "start":
    case "message":
    case "set-variable":
    case "handoff":
    case "subflow":
    case "wait":
      return [NEXT];
    case "ask":
    case "llm":
      return [NEXT, ERROR];
    case "http":
      return [
        { id: standardHandles.success, label: "Success" },
        { id: standardHandles.error, label: "Error" },
      ];
    case "condition":
      return [
        ...node.data.groups.map((group) => ({ id: group.id, label: group.label ?? group.id })),
        { id: standardHandles.else, label: "Else" },
      ];
    case "intent":
      return [
        ...node.data.intents.map((intent) => ({ id: intent.name, label: intent.name })),
        { id: standardHandles.fallback, label: "Fallback" },
      ];
    case "knowledge":
      return [
        { id: standardHandles.answered, label: "Answered" },
        { id: standardHandles.noAnswer, label: "No answer" },
      ];
    case "ab-split":
      return node.data.variants.map((variant) => ({
        id: variant.id,
        label: `${variant.label ?? variant.id} (${variant.weight}%)`,
      }));
    case "jump":
    case "end":
      return [];
  }
}

/**
 * The names of a node's output handles, in drawing order (see `describeOutputHandles` for the
 * table). The engine compiles each edge through `(source, sourceHandle)`; an edge whose handle is
 * not in this list is reported as `unknown-handle`.
 */
export function outputHandlesOf(node: FlowNode): string[] {
  return describeOutputHandles(node).map((handle) => handle.id);
}
