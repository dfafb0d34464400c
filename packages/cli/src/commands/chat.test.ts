import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { chatCommand } from "./chat";

const example = (name: string) =>
  fileURLToPath(new URL(`../../../../examples/flows/${name}.json`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "parley-chat-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `parley chat` with `lines` piped in, like `printf ... | parley chat ...`. */
async function chat(argv: string[], lines: string[] = []) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const output = { out: "", err: "" };
  stdout.on("data", (chunk) => (output.out += chunk));
  stderr.on("data", (chunk) => (output.err += chunk));
  const stdin = Readable.from(lines.map((line) => `${line}\n`));
  const code = await chatCommand(argv, { stdin, stdout, stderr });
  return { code, ...output };
}

describe("parley chat", () => {
  it("takes a pizza order from piped input, with numbered choices", async () => {
    const result = await chat([example("pizza-order")], ["Ada", "3", "(555) 123-4567"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("bot: What's your name?\n> Ada\n");
    expect(result.out).toContain(
      "bot: Nice to meet you, Ada! Which size would you like?\n  1. Small (25 cm)\n  2. Medium (30 cm)\n  3. Large (35 cm)\n> 3\n",
    );
    expect(result.out).toContain("bot: Great choice! Large pizzas come with free garlic bread.");
    expect(result.out).toContain("We'll text +15551234567 when it's on its way.");
    expect(result.out).toContain("[conversation ended: order-placed]");
    expect(result.out).not.toContain("· nodes");
  });

  it("prints nodes visited and variables changed with --trace", async () => {
    const result = await chat([example("pizza-order"), "--trace"], ["Ada", "2", "555 123 4567"]);
    expect(result.out).toContain("  · nodes: start → greeting → ask-name");
    expect(result.out).toContain("  · nodes: ask-name → ask-size");
    expect(result.out).toContain('  · size = "medium"');
    expect(result.out).toContain("  · nodes: ask-phone → check-size → confirmation → order-placed");
  });

  it("sets declared variables with --var, typed by their declaration", async () => {
    const result = await chat(
      [example("every-node-kind"), "--var", "visits=41", "--var=name=Grace", "--id", "fixed"],
      ["Ada", "/vars", "/quit"],
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain("bot: Hi Ada! This is visit number 42.");
    expect(result.out).toContain('> /vars\n{\n  "email": ""\n}');
    expect(result.out).toContain("[wait of 2 seconds at pause: skipped]");
  });

  it("answers http and knowledge nodes from --fixtures and supports handoff resolution", async () => {
    const fixtures = join(scratch, "fixtures.json");
    writeFileSync(
      fixtures,
      JSON.stringify({
        http: [
          { method: "POST", url: "https://crm.example.com/api/leads", status: 201, body: { id: "L-7" } },
        ],
      }),
    );
    const lead = await chat(
      [example("lead-capture"), "--fixtures", fixtures],
      ["1", "Ada", "ada@example.com", "Engines Ltd"],
    );
    expect(lead.out).toContain("Your reference is L-7.");
    expect(lead.out).toContain("[conversation ended: lead-captured]");

    const failing = await chat(
      [example("lead-capture")],
      ["Ada", "ada@example.com", "Engines Ltd", "hello?", "/resolve"],
    );
    expect(failing.out).toContain("Our system is busy right now");
    expect(failing.out).toContain("[handed off to a human agent (queue sales, priority high)");
    expect(failing.out).toContain("[a human agent has the conversation; type /resolve");
    expect(failing.out).toContain("[conversation ended: lead-pending]");
  });

  it("streams the offline model's honest reply", async () => {
    const flow = join(scratch, "llm.json");
    writeFileSync(
      flow,
      JSON.stringify({
        version: 1,
        id: "llm",
        name: "LLM",
        nodes: [
          { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
          {
            id: "model",
            kind: "llm",
            position: { x: 0, y: 0 },
            data: { prompt: "Hello", mode: { type: "reply" } },
          },
          { id: "end", kind: "end", position: { x: 0, y: 0 }, data: {} },
        ],
        edges: [
          { id: "a", source: "start", sourceHandle: "next", target: "model" },
          { id: "b", source: "model", sourceHandle: "next", target: "end" },
        ],
      }),
    );
    const result = await chat([flow]);
    expect(result.out).toMatch(/bot: I'm running in offline mode[^\n]*\n/);
    expect(result.out.match(/offline mode/g)).toHaveLength(1);
  });

  it("rejects bad arguments by name", async () => {
    expect(await chat([])).toMatchObject({ code: 2, err: expect.stringContaining("missing the flow file") });
    expect(await chat([example("pizza-order"), "--colour"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown option --colour"),
    });
    expect(await chat([example("pizza-order"), "--var", "size"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--var size: expected name=value"),
    });
    expect(await chat([example("pizza-order"), "--var", "pizza=1"])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--var pizza: the flow declares no variable "pizza"'),
    });
    expect(await chat([example("every-node-kind"), "--var", "vip=maybe"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--var vip=maybe: vip is a boolean, expected true or false"),
    });
    expect(await chat([join(scratch, "nope.json")])).toMatchObject({
      code: 2,
      err: expect.stringContaining("no such file"),
    });
    expect(await chat([example("pizza-order"), "--fixtures", join(scratch, "nope.json")])).toMatchObject({
      code: 2,
      err: expect.stringContaining("cannot read"),
    });
  });

  it("refuses a flow that cannot run", async () => {
    const flow = join(scratch, "nostart.json");
    writeFileSync(flow, JSON.stringify({ version: 1, id: "n", name: "N", nodes: [] }));
    const result = await chat([flow]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("missing-start");
  });
});
