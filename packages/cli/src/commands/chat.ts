import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { OutgoingMessage } from "@parley/contract";
import {
  compile,
  createMemoryHttp,
  createMemoryKnowledge,
  createOfflineLlm,
  createOfflineNlu,
  type EnginePorts,
  FlowCompileError,
  httpFixtureSchema,
  knowledgeDocumentSchema,
  type LlmMessage,
  type MachineJson,
  type PersistedSnapshot,
  runTurn,
  type TurnEventInput,
  type TurnResult,
} from "@parley/engine";
import { checkFlow, type FlowDocument, formatFlowProblem, type VariableType } from "@parley/flow-schema";
import { z } from "zod";
import { type CommandIo, ExitCode } from "../io";
import { readFlowFile, siblingFlows } from "./validate";

const USAGE =
  "Usage: parley chat <flow.json> [--var name=value ...] [--trace] [--fixtures fixtures.json] [--id conversation-id]";

const HELP = `${USAGE}

Chat with a flow in the terminal. Lines typed (or piped) on stdin are the user's messages.
Numbered options (choices, quick replies) can be picked by typing their number (several: 1,3).

Options:
  --var name=value     set a declared variable at the start (repeatable; typed by its declaration)
  --trace              print the nodes visited, variables changed and effects called after each turn
  --fixtures file      JSON { "http": [{ method?, url, status?, body? }], "knowledge": [{ title, text, url? }] }
                       answers for http and knowledge nodes (nothing goes to the network)
  --id id              conversation id (A/B splits are assigned from it; default: random)

Commands while chatting: /vars (show variables), /resolve (hand a handoff back to the bot), /quit.
Other flows in the same directory are available to subflow nodes. Intents use the offline NLU;
llm nodes use an offline stand-in that says so. Wait nodes are skipped immediately.
`;

/** `--fixtures` file: canned HTTP responses and knowledge documents. */
const fixturesSchema = z.strictObject({
  http: z.array(httpFixtureSchema).default([]),
  knowledge: z.array(knowledgeDocumentSchema).default([]),
});

interface ChatArguments {
  path: string;
  variables: [string, string][];
  trace: boolean;
  fixtures?: string;
  conversationId: string;
}

type Parsed = { ok: true; args: ChatArguments } | { ok: false; message: string } | { ok: "help" };

function parseArguments(argv: string[]): Parsed {
  const paths: string[] = [];
  const variables: [string, string][] = [];
  let trace = false;
  let fixtures: string | undefined;
  let conversationId: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const [flag, inline] =
      argument.startsWith("--") && argument.includes("=") ? splitOnce(argument, "=") : [argument];
    const value = (): string | undefined => inline ?? argv[++index];
    switch (flag) {
      case "--help":
      case "-h":
        return { ok: "help" };
      case "--trace":
        trace = true;
        break;
      case "--var": {
        const assignment = value();
        if (assignment === undefined) return { ok: false, message: "--var needs name=value" };
        const [name, text] = splitOnce(assignment, "=");
        if (text === undefined || name === "")
          return { ok: false, message: `--var ${assignment}: expected name=value` };
        variables.push([name, text]);
        break;
      }
      case "--fixtures":
        fixtures = value();
        if (fixtures === undefined) return { ok: false, message: "--fixtures needs a file" };
        break;
      case "--id":
        conversationId = value();
        if (!conversationId) return { ok: false, message: "--id needs a conversation id" };
        break;
      default:
        if (argument.startsWith("-")) return { ok: false, message: `unknown option ${argument}` };
        paths.push(argument);
    }
  }
  if (paths.length !== 1) {
    return {
      ok: false,
      message:
        paths.length === 0 ? "missing the flow file" : `expected one flow file, got ${paths.join(" ")}`,
    };
  }
  return {
    ok: true,
    args: {
      path: paths[0]!,
      variables,
      trace,
      ...(fixtures ? { fixtures } : {}),
      conversationId: conversationId ?? randomUUID(),
    },
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Converts a `--var` value to the variable's declared type, or explains why it cannot. */
function typedValue(
  name: string,
  text: string,
  type: VariableType,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const fail = (expected: string) => ({
    ok: false as const,
    message: `--var ${name}=${text}: ${name} is a ${type}, expected ${expected}`,
  });
  switch (type) {
    case "string":
      return { ok: true, value: text };
    case "date":
      return Number.isNaN(Date.parse(text)) ? fail("a date like 2025-01-31") : { ok: true, value: text };
    case "number": {
      const number = Number(text);
      return text.trim() === "" || !Number.isFinite(number) ? fail("a number") : { ok: true, value: number };
    }
    case "boolean":
      return text === "true" || text === "false"
        ? { ok: true, value: text === "true" }
        : fail("true or false");
    case "list":
    case "object": {
      try {
        const value = JSON.parse(text) as unknown;
        const fits =
          type === "list"
            ? Array.isArray(value)
            : typeof value === "object" && value !== null && !Array.isArray(value);
        return fits ? { ok: true, value } : fail(type === "list" ? "a JSON array" : "a JSON object");
      } catch {
        return fail(type === "list" ? "a JSON array" : "a JSON object");
      }
    }
  }
}

async function loadFixtures(
  path: string,
): Promise<{ ok: true; ports: EnginePorts } | { ok: false; message: string }> {
  const read = await readFlowFile(path);
  if (!read.ok)
    return { ok: false, message: read.message.replace("is not valid JSON", "(fixtures) is not valid JSON") };
  const parsed = fixturesSchema.safeParse(read.document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `--fixtures ${path}: ${issue?.path.join(".") || "(file)"}: ${issue?.message}`,
    };
  }
  return {
    ok: true,
    ports: {
      http: createMemoryHttp(parsed.data.http),
      knowledge: createMemoryKnowledge(parsed.data.knowledge),
    },
  };
}

/** A numbered option the user can pick by typing its number. */
interface NumberedOption {
  label: string;
  value: string;
  /** `choice`: answers an ask with `user.choice`; `reply`: sends the value as text. */
  kind: "choice" | "reply";
}

function describeWait(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1_000, "second"],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) {
      const amount = Math.round(ms / size);
      return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
    }
  }
  return `${Math.max(0, Math.round(ms))} ms`;
}

/** Prints bot messages and turn traces, and remembers the options on screen. */
class Transcript {
  options: NumberedOption[] = [];
  multiple = false;
  private streaming = false;
  readonly streamed = new Set<string>();

  constructor(private readonly out: NodeJS.WritableStream) {}

  line(text = ""): void {
    this.out.write(`${text}\n`);
  }

  token(nodeId: string, token: string): void {
    if (!this.streaming) this.out.write("bot: ");
    this.streaming = true;
    this.streamed.add(nodeId);
    this.out.write(token);
  }

  endStream(): void {
    if (this.streaming) this.out.write("\n");
    this.streaming = false;
  }

  private offer(options: NumberedOption[]): void {
    const start = this.options.length;
    this.options.push(...options);
    options.forEach((option, index) => {
      this.line(`  ${start + index + 1}. ${option.label}`);
    });
  }

  messages(messages: OutgoingMessage[]): void {
    this.options = [];
    this.multiple = false;
    for (const message of messages) this.message(message);
    this.streamed.clear();
  }

  private message(message: OutgoingMessage): void {
    switch (message.type) {
      case "typing":
        return;
      case "text":
        if (message.source === "llm" && this.streamed.has(message.nodeId)) return;
        this.line(`bot: ${message.text}`);
        (message.citations ?? []).forEach((citation, index) => {
          this.line(`     [${index + 1}] ${citation.title}${citation.url ? ` (${citation.url})` : ""}`);
        });
        return;
      case "image":
        this.line(`bot: [image] ${message.alt ? `${message.alt} — ` : ""}${message.url}`);
        return;
      case "card":
        this.line(`bot: [card] ${message.title}${message.subtitle ? ` — ${message.subtitle}` : ""}`);
        for (const button of message.buttons)
          if (button.url) this.line(`     ${button.label}: ${button.url}`);
        this.offer(
          message.buttons.flatMap((button) =>
            button.value !== undefined
              ? [{ label: button.label, value: button.value, kind: "reply" as const }]
              : [],
          ),
        );
        return;
      case "quick_replies":
        if (message.text) this.line(`bot: ${message.text}`);
        this.offer(
          message.replies.map((reply) => ({
            label: reply.label,
            value: reply.value,
            kind: "reply" as const,
          })),
        );
        return;
      case "ask": {
        const hint =
          message.input.kind !== "choice" && message.input.kind !== "text" && message.input.hint
            ? ` (${message.input.hint})`
            : "";
        this.line(`bot: ${message.text}${hint}`);
        if (message.input.choices) {
          this.options = [];
          this.multiple = message.input.multiple === true;
          this.offer(
            message.input.choices.map((choice) => ({
              label: choice.label,
              value: choice.value,
              kind: "choice" as const,
            })),
          );
          if (this.multiple) this.line("  (pick one or more, e.g. 1,3)");
        }
        return;
      }
      case "handoff": {
        if (message.text) this.line(`bot: ${message.text}`);
        const details = [message.queue ? `queue ${message.queue}` : "", `priority ${message.priority}`]
          .filter(Boolean)
          .join(", ");
        this.line(`[handed off to a human agent (${details}); type /resolve to hand the conversation back]`);
        return;
      }
      case "end":
        this.line(
          message.reason === "error"
            ? "[conversation ended after an error]"
            : `[conversation ended${message.outcome ? `: ${message.outcome}` : ""}]`,
        );
        return;
    }
  }

  trace(result: TurnResult): void {
    const { trace } = result;
    if (trace.nodes.length > 0) {
      this.line(
        `  · nodes: ${trace.nodes.map((visit) => visit.nodeId).join(" → ")} (${trace.durationMs.toFixed(1)} ms)`,
      );
    }
    for (const change of trace.variables) {
      this.line(
        `  · ${change.name} = ${JSON.stringify(change.after)}${change.before !== undefined ? ` (was ${JSON.stringify(change.before)})` : ""}`,
      );
    }
    for (const call of trace.effects) {
      this.line(
        `  · ${call.kind} at ${call.nodeId}: ${call.outcome}${call.detail ? ` — ${call.detail}` : ""} (${call.durationMs.toFixed(1)} ms)`,
      );
    }
    for (const note of trace.notes) this.line(`  · ${note.nodeId ? `${note.nodeId}: ` : ""}${note.message}`);
  }
}

/** Runs the conversation: one turn per event, timers fired at once, history kept for llm nodes. */
class ChatSession {
  snapshot: PersistedSnapshot | null = null;
  last: TurnResult | undefined;
  private readonly history: LlmMessage[] = [];

  constructor(
    private readonly machine: MachineJson,
    private readonly ports: EnginePorts,
    private readonly args: ChatArguments,
    private readonly transcript: Transcript,
  ) {}

  async send(event: TurnEventInput): Promise<TurnResult> {
    const result = await runTurn({
      machine: this.machine,
      snapshot: this.snapshot,
      event,
      conversation: { id: this.args.conversationId, channel: "cli" },
      ports: this.ports,
      history: this.history.slice(-50),
      onStream: (chunk) => this.transcript.token(chunk.nodeId, chunk.token),
    });
    this.transcript.endStream();
    this.snapshot = result.snapshot;
    this.last = result;
    if (event.type === "user.text") this.history.push({ role: "user", content: event.text });
    for (const message of result.messages) {
      if (message.type === "text" || message.type === "ask")
        this.history.push({ role: "assistant", content: message.text });
    }
    this.transcript.messages(result.messages);
    if (this.args.trace) this.transcript.trace(result);
    const timer = result.timers[0];
    if (result.waitingFor === "timer" && timer) {
      this.transcript.line(`[wait of ${describeWait(timer.dueAt - Date.now())} at ${timer.nodeId}: skipped]`);
      return this.send({ type: "timer.fired", timerId: timer.timerId });
    }
    return result;
  }
}

/** Turns a typed line into an event, using the numbered options on screen. */
function eventFor(line: string, transcript: Transcript): TurnEventInput | { error: string } {
  const options = transcript.options;
  if (options.length > 0 && /^\d+(\s*[, ]\s*\d+)*$/.test(line)) {
    const picks = line.split(/[\s,]+/).map(Number);
    const invalid = picks.find((pick) => pick < 1 || pick > options.length);
    if (invalid !== undefined) return { error: `pick a number between 1 and ${options.length}` };
    const picked = picks.map((pick) => options[pick - 1]!);
    if (picked.every((option) => option.kind === "choice")) {
      if (!transcript.multiple && picked.length > 1) return { error: "pick one option" };
      return { type: "user.choice", values: picked.map((option) => option.value) };
    }
    return { type: "user.text", text: picked[0]!.value };
  }
  return { type: "user.text", text: line };
}

/**
 * `parley chat <flow.json> [--var name=value ...] [--trace] [--fixtures file] [--id id]`:
 * an interactive chat with a flow over stdin/stdout that also works with piped input.
 * Exit codes: 0 when the conversation ends or input runs out, 1 when the flow cannot run,
 * 2 for usage errors (each bad argument is named).
 */
export async function chatCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv);
  if (parsed.ok === "help") {
    io.stdout.write(HELP);
    return ExitCode.ok;
  }
  if (!parsed.ok) {
    io.stderr.write(`parley chat: ${parsed.message}\n${USAGE}\n`);
    return ExitCode.usage;
  }
  const { args } = parsed;
  const read = await readFlowFile(args.path);
  if (!read.ok) {
    io.stderr.write(`parley chat: ${read.message}\n`);
    return ExitCode.usage;
  }

  const siblings = await siblingFlows(args.path);
  const checked = checkFlow(read.document, { flowExists: (flowId) => siblings.has(flowId) });
  if (!checked.flow) {
    for (const problem of checked.problems) io.stderr.write(`${args.path}: ${formatFlowProblem(problem)}\n`);
    io.stderr.write(`parley chat: ${args.path} is not a valid flow document\n`);
    return ExitCode.failure;
  }
  const flow: FlowDocument = checked.flow;
  let machine: MachineJson;
  try {
    machine = compile(read.document, { subflows: Object.fromEntries(siblings) });
  } catch (error) {
    if (!(error instanceof FlowCompileError)) throw error;
    for (const problem of error.problems)
      io.stderr.write(`${args.path}: ${problem.message} [${problem.code}]\n`);
    io.stderr.write(`parley chat: ${args.path} cannot run\n`);
    return ExitCode.failure;
  }
  if (checked.problems.length > 0) {
    io.stderr.write(
      `warning: ${args.path} has ${checked.problems.length} problem(s); run \`parley validate ${args.path}\` to see them\n`,
    );
  }

  const variables: Record<string, unknown> = {};
  for (const [name, text] of args.variables) {
    const declaration = flow.variables.find((variable) => variable.name === name);
    if (!declaration) {
      io.stderr.write(`parley chat: --var ${name}: the flow declares no variable "${name}"\n`);
      return ExitCode.usage;
    }
    const typed = typedValue(name, text, declaration.type);
    if (!typed.ok) {
      io.stderr.write(`parley chat: ${typed.message}\n`);
      return ExitCode.usage;
    }
    variables[name] = typed.value;
  }

  let ports: EnginePorts = {
    nlu: createOfflineNlu(),
    llm: createOfflineLlm(),
    http: createMemoryHttp(),
    knowledge: createMemoryKnowledge([]),
  };
  if (args.fixtures) {
    const fixtures = await loadFixtures(args.fixtures);
    if (!fixtures.ok) {
      io.stderr.write(`parley chat: ${fixtures.message}\n`);
      return ExitCode.usage;
    }
    ports = { ...ports, ...fixtures.ports };
  }

  const transcript = new Transcript(io.stdout);
  const session = new ChatSession(machine, ports, args, transcript);
  transcript.line(`Chatting with "${flow.name}" (${flow.id}). Type /quit to leave.`);
  let result = await session.send({ type: "conversation.start", variables });
  if (result.status === "ended") return ExitCode.ok;

  const interactive = (io.stdin as { isTTY?: boolean }).isTTY === true;
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  io.stdout.write("> ");
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (!interactive) io.stdout.write(`${line}\n`);
      if (line === "") {
        io.stdout.write("> ");
        continue;
      }
      if (line === "/quit") break;
      if (line === "/vars") {
        transcript.line(JSON.stringify(result.variables, null, 2));
      } else if (line === "/resolve") {
        if (result.status !== "handoff") transcript.line("[no handoff to resolve]");
        else result = await session.send({ type: "handoff.resolved", variables: {} });
      } else if (result.status === "handoff") {
        transcript.line("[a human agent has the conversation; type /resolve to hand it back to the bot]");
      } else {
        const event = eventFor(line, transcript);
        if ("error" in event) transcript.line(`[${event.error}]`);
        else result = await session.send(event);
      }
      if (result.status === "ended") return ExitCode.ok;
      io.stdout.write("> ");
    }
    io.stdout.write("\n");
    return ExitCode.ok;
  } finally {
    lines.close();
  }
}
