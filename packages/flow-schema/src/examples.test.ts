import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { checkFlow } from "./check";
import { flowDocumentJsonSchema } from "./json-schema";
import { nodeKinds } from "./nodes/flow-node";
import { formatFlowProblem } from "./problems";

const examplesDir = fileURLToPath(new URL("../../../examples/flows/", import.meta.url));
const examples = readdirSync(examplesDir)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({
    file,
    document: JSON.parse(readFileSync(examplesDir + file, "utf8")) as Record<string, unknown>,
  }));
const exampleIds = new Set(examples.map(({ document }) => document.id as string));
const variablesById = new Map(
  examples.map(({ document }) => [
    document.id as string,
    ((document.variables ?? []) as { name: string }[]).map((variable) => variable.name),
  ]),
);

function check(file: string) {
  const example = examples.find((candidate) => candidate.file === file);
  if (!example) throw new Error(`missing example ${file}`);
  return checkFlow(example.document, {
    flowExists: (id) => exampleIds.has(id),
    flowVariables: (id) => variablesById.get(id),
  });
}

describe("examples/flows", () => {
  it("has the required examples", () => {
    expect(examples.map(({ file }) => file).sort()).toEqual(
      expect.arrayContaining([
        "every-node-kind.json",
        "lead-capture.json",
        "pizza-order.json",
        "support-triage.json",
      ]),
    );
  });

  it.each(examples.map(({ file }) => file))("%s is valid", (file) => {
    const result = check(file);
    expect(result.problems.map(formatFlowProblem)).toEqual([]);
  });

  it.each(examples.map(({ file }) => file))("%s matches the JSON Schema", (file) => {
    const validate = new Ajv2020({ strict: false }).compile(flowDocumentJsonSchema());
    const example = examples.find((candidate) => candidate.file === file);
    expect(validate(example?.document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(examples.map(({ file }) => file))("%s places its nodes apart on the canvas", (file) => {
    const flow = check(file).flow!;
    const spots = new Set(flow.nodes.map((node) => `${node.position.x},${node.position.y}`));
    expect(spots.size).toBe(flow.nodes.length);
  });

  it("every-node-kind.json uses every node kind and calls another example", () => {
    const flow = check("every-node-kind.json").flow!;
    expect(new Set(flow.nodes.map((node) => node.kind))).toEqual(new Set(nodeKinds));
    const subflow = flow.nodes.find((node) => node.kind === "subflow");
    expect(subflow?.kind === "subflow" && exampleIds.has(subflow.data.flowId)).toBe(true);
  });

  it("pizza-order.json asks for a size with buttons, validates a phone number and branches on size", () => {
    const flow = check("pizza-order.json").flow!;
    const inputs = flow.nodes.flatMap((node) => (node.kind === "ask" ? [node.data.input] : []));
    expect(inputs.map((input) => input.type)).toEqual(["text", "choice", "phone"]);
    expect(
      flow.nodes.some((node) => node.kind === "condition" && JSON.stringify(node.data).includes('"size"')),
    ).toBe(true);
  });

  it("support-triage.json routes three intents plus fallback to a knowledge answer and a handoff", () => {
    const flow = check("support-triage.json").flow!;
    const intent = flow.nodes.find((node) => node.kind === "intent");
    expect(intent?.kind === "intent" && intent.data.intents).toHaveLength(3);
    expect(flow.edges.some((edge) => edge.source === intent?.id && edge.sourceHandle === "fallback")).toBe(
      true,
    );
    expect(flow.nodes.some((node) => node.kind === "knowledge")).toBe(true);
    expect(flow.nodes.some((node) => node.kind === "handoff")).toBe(true);
  });

  it("lead-capture.json connects its http call's error branch", () => {
    const flow = check("lead-capture.json").flow!;
    const http = flow.nodes.find((node) => node.kind === "http");
    expect(flow.edges.some((edge) => edge.source === http?.id && edge.sourceHandle === "error")).toBe(true);
  });
});
