import type { FlowNode } from "../nodes/flow-node";

/** A template field inside a node. */
export interface NodeTemplate {
  /** Where it is, relative to the node (`["data", "prompt"]`). */
  readonly location: readonly (string | number)[];
  /** The template text. */
  readonly template: string;
}

/**
 * Every template field of a node (texts with `{{ path }}` placeholders), with its location.
 * Used by validation (syntax, undeclared variables) and usable by editors to highlight them.
 */
export function templatesOf(node: FlowNode): NodeTemplate[] {
  const found: NodeTemplate[] = [];
  const add = (template: string | undefined, ...location: (string | number)[]) => {
    if (template !== undefined) found.push({ location: ["data", ...location], template });
  };
  switch (node.kind) {
    case "message": {
      const { text, image, card } = node.data;
      add(text, "text");
      add(image?.url, "image", "url");
      add(image?.alt, "image", "alt");
      add(card?.title, "card", "title");
      add(card?.subtitle, "card", "subtitle");
      add(card?.imageUrl, "card", "imageUrl");
      for (const [index, button] of (card?.buttons ?? []).entries())
        add(button.url, "card", "buttons", index, "url");
      break;
    }
    case "ask":
      add(node.data.prompt, "prompt");
      add(node.data.retryPrompt, "retryPrompt");
      break;
    case "set-variable":
      node.data.assignments.forEach((assignment, index) => {
        if (assignment.value.type === "template")
          add(assignment.value.template, "assignments", index, "value", "template");
      });
      break;
    case "http":
      add(node.data.url, "url");
      for (const [name, value] of Object.entries(node.data.headers)) add(value, "headers", name);
      for (const [name, value] of Object.entries(node.data.query)) add(value, "query", name);
      if (node.data.body?.type === "template") add(node.data.body.template, "body", "template");
      break;
    case "llm":
      add(node.data.prompt, "prompt");
      add(node.data.systemPrompt, "systemPrompt");
      break;
    case "intent":
      add(node.data.text, "text");
      break;
    case "knowledge":
      add(node.data.question, "question");
      break;
    case "handoff":
      add(node.data.reason, "reason");
      add(node.data.message, "message");
      break;
    case "start":
    case "condition":
    case "subflow":
    case "jump":
    case "wait":
    case "ab-split":
    case "end":
      break;
  }
  return found;
}
