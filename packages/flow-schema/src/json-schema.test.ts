import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { validFlowInput } from "../test/fixtures";
import { flowDocumentJsonSchema, flowDocumentJsonSchemaText } from "./json-schema";

const committedPath = fileURLToPath(new URL("../flow.schema.json", import.meta.url));

describe("flow.schema.json", () => {
  it("is up to date with the zod schemas", () => {
    const committed = readFileSync(committedPath, "utf8");
    expect(
      committed === flowDocumentJsonSchemaText(),
      "packages/flow-schema/flow.schema.json is stale: run `npm run generate -w @parley/flow-schema` and commit the result",
    ).toBe(true);
  });

  it("is a draft 2020-12 schema that accepts a valid flow and rejects a broken one", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(flowDocumentJsonSchema());
    expect(validate(validFlowInput()), JSON.stringify(validate.errors)).toBe(true);
    expect(
      validate({
        ...validFlowInput(),
        nodes: [{ id: "x", kind: "teleport", position: { x: 0, y: 0 }, data: {} }],
      }),
    ).toBe(false);
    expect(validate({ ...validFlowInput(), version: 2 })).toBe(false);
  });

  it("describes every node kind", () => {
    const defs = (flowDocumentJsonSchema().$defs ?? {}) as Record<string, unknown>;
    for (const name of [
      "StartNode",
      "AskNode",
      "ConditionNode",
      "AbSplitNode",
      "EndNode",
      "FlowEdge",
      "VariableDeclaration",
    ]) {
      expect(defs).toHaveProperty(name);
    }
  });
});
