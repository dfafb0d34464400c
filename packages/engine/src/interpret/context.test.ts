import { renderTemplate } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { type FlowContext, readVariable, render, scopeOf } from "./context";

const context: FlowContext = {
  vars: { name: "Ada", order: { items: [{ title: "Margherita" }], size: "large" }, tags: ["a", "b"], n: 3 },
  sys: { lastUserMessage: "hi", lastIntent: "order" },
  rt: { flowId: "child" },
  env: { conversationId: "c-1", flowId: "root", now: Date.UTC(2025, 0, 31, 12), channel: "web" },
};

describe("render and readVariable", () => {
  it("agree with flow-schema's renderTemplate over the full scope", () => {
    const templates = [
      "Hi {{ name }}, {{order.items.0.title}} ({{ order.size }}) {{ tags }} x{{ n }}",
      "{{ sys.lastUserMessage }} / {{ sys.lastIntent }} / {{ sys.channel }} / {{ sys.conversationId }}",
      "{{ sys.flowId }} at {{ sys.now }} {{ sys.unknown }}{{ missing.path }}",
      "{{ order }} {{ sys }}",
      "broken {{ }} and {{ a b }} and {{ name",
      "no placeholders",
    ];
    for (const template of templates) {
      expect(render(template, context), template).toBe(renderTemplate(template, scopeOf(context)));
    }
    expect(render("{{ sys.flowId }}", context)).toBe("child");
    expect(render("{{ sys.now }}", context)).toBe("2025-01-31T12:00:00.000Z");
  });

  it("escapes substituted values only", () => {
    expect(
      render('{"q": "{{ name }}"}', { ...context, vars: { name: 'say "hi"' } }, (text) =>
        JSON.stringify(text).slice(1, -1),
      ),
    ).toBe('{"q": "say \\"hi\\""}');
  });

  it("reads variables and system values by path", () => {
    expect(readVariable(context, "order.items.0.title")).toBe("Margherita");
    expect(readVariable(context, "sys.channel")).toBe("web");
    expect(readVariable(context, "sys.lastIntent")).toBe("order");
    expect(readVariable(context, "name.length")).toBeUndefined();
    expect(readVariable(context, "constructor")).toBeUndefined();
  });
});
