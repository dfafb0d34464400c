import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { inlineFlow, largeFlow, loadExample } from "../../test/support";
import { compile } from "./compile";
import { FlowCompileError } from "./errors";
import { machineJsonSchema } from "./json-schema";
import { machineSchema } from "./machine-schema";

const examples = {
  "pizza-order": () => compile(loadExample("pizza-order")),
  "support-triage": () => compile(loadExample("support-triage")),
  "lead-capture": () => compile(loadExample("lead-capture")),
  "collect-email": () => compile(loadExample("collect-email")),
  "every-node-kind": () =>
    compile(loadExample("every-node-kind"), { subflows: { "collect-email": loadExample("collect-email") } }),
};

describe("compile", () => {
  it("compiles every example into machine JSON that matches the machine schema and JSON Schema", () => {
    const validate = new Ajv2020({ strict: false }).compile(machineJsonSchema());
    for (const [name, build] of Object.entries(examples)) {
      const machine = build();
      expect(machineSchema.safeParse(machine).success, name).toBe(true);
      expect(validate(machine), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(JSON.parse(JSON.stringify(machine)), name).toEqual(machine);
    }
  });

  it("is deterministic: same flow, same bytes, whatever the node and edge order", () => {
    const flow = loadExample("support-triage") as { nodes: unknown[]; edges: unknown[] };
    const first = JSON.stringify(compile(flow));
    expect(JSON.stringify(compile(structuredClone(flow)))).toBe(first);
    const shuffled = { ...flow, nodes: [...flow.nodes].reverse(), edges: [...flow.edges].reverse() };
    expect(JSON.stringify(compile(shuffled))).toBe(first);
  });

  it("versions machines by content", () => {
    const flow = loadExample("pizza-order") as Record<string, unknown>;
    const a = compile(flow);
    const b = compile({ ...flow, name: "Pizza order v2" });
    expect(a.version).toMatch(/^[0-9a-f]{18}$/);
    expect(b.version).not.toBe(a.version);
    expect(compile(flow).version).toBe(a.version);
  });

  it("gives one state per node, referencing implementations by name with JSON params", () => {
    const machine = examples["pizza-order"]();
    expect(Object.keys(machine.states)).toEqual(
      expect.arrayContaining([
        "$boot",
        "start",
        "ask-name",
        "ask-size",
        "check-size",
        "order-placed",
        "$done",
        "$failed",
      ]),
    );
    expect(machine.states["ask-size"]).toMatchObject({
      tags: ["waiting", "ask"],
      entry: [{ type: "enterNode", params: { node: "ask-size", kind: "ask" } }, { type: "askPrompt" }],
      on: {
        "user.*": [
          { guard: { type: "answerIsValid" }, target: "ask-phone" },
          { guard: { type: "canRetry" } },
          { target: "input-failed" },
        ],
      },
    });
    expect(machine.states["check-size"]?.always).toEqual([
      {
        guard: {
          type: "conditionGroupMatches",
          params: { match: "all", rules: [{ variable: "size", operator: "equals", value: "large" }] },
        },
        target: "large-bonus",
      },
      { target: "confirmation" },
    ]);
    expect(machine.context).toEqual({ vars: {}, sys: {}, rt: {} });
  });

  it("reports every problem that prevents compilation", () => {
    const broken = inlineFlow({
      nodes: [
        { id: "a", kind: "message", data: { text: "no start" } },
        { id: "jump", kind: "jump", data: { targetNodeId: "nowhere" } },
      ],
      edges: [["a", "next", "ghost"]],
    });
    try {
      compile(broken);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FlowCompileError);
      const codes = (error as FlowCompileError).problems.map((problem) => problem.code).sort();
      expect(codes).toEqual(["dangling-edge", "missing-jump-target", "missing-start"]);
      expect((error as Error).message).toContain('jump target "nowhere"');
    }
    expect(() => compile({ version: 1, id: "x" })).toThrow(/invalid-shape/);
  });

  it("compiles a 1,000-node flow", () => {
    const machine = compile(largeFlow(1000));
    expect(Object.keys(machine.states)).toHaveLength(1000 + 3);
  });
});
