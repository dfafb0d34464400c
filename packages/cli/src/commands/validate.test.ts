import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { jsonErrorOffset, validateCommand } from "./validate";

const examples = fileURLToPath(new URL("../../../../examples/flows/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "parley-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: "", err: "" };
  stdout.on("data", (chunk) => (chunks.out += chunk));
  stderr.on("data", (chunk) => (chunks.err += chunk));
  const code = await validateCommand(argv, { stdin: Readable.from([]), stdout, stderr });
  return { code, ...chunks };
}

function write(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

describe("parley validate", () => {
  it("accepts every example flow with exit 0", async () => {
    for (const name of [
      "pizza-order",
      "support-triage",
      "lead-capture",
      "every-node-kind",
      "collect-email",
    ]) {
      const result = await run(join(examples, `${name}.json`));
      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(/: valid \(\d+ nodes, \d+ edges\)/);
    }
  });

  it("prints every problem with node id, path, code and message, and exits 1", async () => {
    const path = write("broken.json", {
      version: 1,
      id: "broken",
      name: "Broken",
      nodes: [
        { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
        {
          id: "ask",
          kind: "ask",
          position: { x: 0, y: 0 },
          data: { prompt: "", input: { type: "text" }, saveTo: "nobody" },
        },
        {
          id: "split",
          kind: "ab-split",
          position: { x: 0, y: 0 },
          data: {
            variants: [
              { id: "a", weight: 10 },
              { id: "b", weight: 10 },
            ],
          },
        },
      ],
      edges: [
        { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
        { id: "e2", source: "ask", sourceHandle: "next", target: "ghost" },
      ],
    });
    const result = await run(path);
    expect(result.code).toBe(1);
    expect(result.out).toContain("(node ask) [ask-without-prompt]");
    expect(result.out).toContain("[dangling-edge]");
    expect(result.out).toContain("[ab-split-weights]");
    expect(result.out).toContain("[undeclared-variable]");
    expect(result.out).toMatch(/nodes\[1\]\.data\.prompt/);
    expect(result.out).toMatch(/\d+ problems found/);

    const json = await run(path, "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as {
      valid: boolean;
      problems: { code: string; nodeId: string | null; path: unknown[] }[];
    };
    expect(report.valid).toBe(false);
    expect(report.problems.find((problem) => problem.code === "ask-without-prompt")).toMatchObject({
      nodeId: "ask",
      path: ["nodes", 1, "data", "prompt"],
    });
  });

  it("reports shape errors with their paths", async () => {
    const result = await run(
      write("shape.json", { version: 1, id: "x", name: "X", nodes: [{ id: "n", kind: "teleport" }] }),
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain("[invalid-shape]");
    expect(result.out).toContain("nodes[0]");
  });

  it("finds subflow recursion through sibling flows", async () => {
    const dir = mkdtempSync(join(scratch, "loop-"));
    const flow = (id: string, callee: string) => ({
      version: 1,
      id,
      name: id,
      nodes: [
        { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
        { id: "call", kind: "subflow", position: { x: 0, y: 0 }, data: { flowId: callee } },
        { id: "end", kind: "end", position: { x: 0, y: 0 }, data: {} },
      ],
      edges: [
        { id: "a", source: "start", sourceHandle: "next", target: "call" },
        { id: "b", source: "call", sourceHandle: "next", target: "end" },
      ],
    });
    writeFileSync(join(dir, "a.json"), JSON.stringify(flow("a", "b")));
    writeFileSync(join(dir, "b.json"), JSON.stringify(flow("b", "a")));
    const result = await run(join(dir, "a.json"));
    expect(result.code).toBe(1);
    expect(result.out).toContain("[subflow-recursion]");
    expect(result.out).toContain("a -> b -> a");
  });

  it("exits 2 for usage errors and says which", async () => {
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining("missing the flow file") });
    expect(await run("a.json", "b.json")).toMatchObject({
      code: 2,
      err: expect.stringContaining("expected one flow file"),
    });
    expect(await run("--strict", "a.json")).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown option --strict"),
    });
    const missing = join(scratch, "missing.json");
    expect(await run(missing)).toMatchObject({
      code: 2,
      err: expect.stringContaining(`cannot read ${missing}: no such file`),
    });
    expect(await run(scratch)).toMatchObject({ code: 2, err: expect.stringContaining("it is a directory") });
    const bad = write("bad.json", '{\n  "version": 1,\n  "id": oops\n}');
    const result = await run(bad);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${bad} is not valid JSON (line 3, column 9)`);
  });

  it("locates JSON syntax errors", () => {
    expect(jsonErrorOffset('{"a": [1, 2,, 3]}')).toBe(12);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": "unterminated')).toBe(19);
    expect(jsonErrorOffset('{"a": [true, null, -1.5e3, "x\\"y"]}')).toBeUndefined();
  });
});
