import { checkFlow, emptyFlow, nodeCatalog, nodeKinds } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { addNode, connect, updateNode } from "./document-ops";
import {
  blankValue,
  fieldMessages,
  nodeDataFormSchema,
  resolveRef,
  unionVariants,
  variantIndexOf,
} from "./node-forms";

describe("inspector forms from the flow schema", () => {
  it("has an object form for every node kind whose defaults fit it", () => {
    for (const kind of nodeKinds) {
      const schema = resolveRef(nodeDataFormSchema(kind), nodeDataFormSchema(kind));
      expect(schema.type, kind).toBe("object");
      for (const key of Object.keys(nodeCatalog[kind].createDefaultData() as object)) {
        expect(schema.properties?.[key], `${kind}.${key}`).toBeDefined();
      }
    }
  });

  it("tells union variants apart by their constant property (ask input types)", () => {
    const root = nodeDataFormSchema("ask");
    const input = resolveRef(resolveRef(root, root).properties?.input ?? {}, root);
    const { discriminator, labels, variants } = unionVariants(input, root);
    expect(discriminator).toBe("type");
    expect(labels).toEqual(["text", "number", "email", "phone", "date", "choice"]);
    expect(blankValue(variants[5] ?? {}, root)).toMatchObject({ type: "choice", options: [] });
  });

  it("tells condition rules apart by their operator enum (the rule-type picker once snapped back)", () => {
    const root = nodeDataFormSchema("condition");
    const groups = resolveRef(resolveRef(root, root).properties?.groups ?? {}, root);
    const group = resolveRef(groups.items ?? {}, root);
    const rule = resolveRef(group.properties?.rules?.items ?? {}, root);
    const { discriminator, labels, variants } = unionVariants(rule, root);
    expect(discriminator).toBe("operator");
    expect(labels[1]).toContain("equals");
    expect(
      variantIndexOf(variants, discriminator, { variable: "size", operator: "equals", value: "x" }),
    ).toBe(1);
    expect(variantIndexOf(variants, discriminator, { variable: "size", operator: "in", value: [] })).toBe(2);
    expect(variantIndexOf(variants, discriminator, { variable: "size", operator: "isSet" })).toBe(0);
  });

  it("puts shape errors and validator problems on the field they concern", () => {
    let doc = emptyFlow("f", "F");
    const ask = addNode(doc, "ask", { x: 0, y: 100 });
    doc = connect(ask.doc, { source: "start", sourceHandle: "next", target: ask.nodeId }).doc;
    let messages = fieldMessages(doc, ask.nodeId, checkFlow(doc).problems);
    expect(messages.get("prompt")?.join(" ")).toMatch(/write the question/i);
    doc = updateNode(doc, ask.nodeId, {
      data: { prompt: "Name?", input: { type: "text" }, saveTo: "1bad", maxRetries: 2 },
    });
    messages = fieldMessages(doc, ask.nodeId, []);
    expect(messages.get("saveTo")?.[0]).toBeDefined();
  });
});
