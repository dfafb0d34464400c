import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { compile, FlowCompileError } from "@parley/engine";
import { checkFlow, type FlowProblem, formatFlowProblem } from "@parley/flow-schema";
import { type CommandIo, ExitCode } from "../io";

/** The outcome of reading a flow file: its parsed JSON, or a message that says what went wrong. */
export type ReadFlowResult = { ok: true; document: unknown } | { ok: false; message: string };

/** "line L, column C" of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}

/**
 * Reads and parses a flow file. Failures name the file and the reason: missing, unreadable,
 * or not JSON (with the line and column of the syntax error when Node reports a position).
 */
export async function readFlowFile(path: string): Promise<ReadFlowResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    return { ok: false, message: `cannot read ${path}: ${reason}` };
  }
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? "" : ` (${lineAndColumn(text, offset)})`;
    return {
      ok: false,
      message: `${path} is not valid JSON${where}: ${(error as Error).message.split("\n")[0]}`,
    };
  }
}

/**
 * The offset of the first JSON syntax error in `text` (Node 20's JSON.parse does not always
 * say where). A small recursive-descent scan; undefined when it finds no error.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && " \t\r\n".includes(text[at]!)) at += 1;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, at)) at += word.length;
    else fail();
  };
  const string = () => {
    at += 1;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === "\\") at += 1;
      else if (text.charCodeAt(at) < 0x20) fail();
      at += 1;
    }
    if (at >= text.length) fail();
    at += 1;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match) fail();
    at += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === "{") {
      at += 1;
      space();
      if (text[at] === "}") {
        at += 1;
        return;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ":") fail();
        at += 1;
        value();
        space();
        if (text[at] === ",") at += 1;
        else if (text[at] === "}") {
          at += 1;
          return;
        } else fail();
      }
    }
    if (char === "[") {
      at += 1;
      space();
      if (text[at] === "]") {
        at += 1;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[at] === ",") at += 1;
        else if (text[at] === "]") {
          at += 1;
          return;
        } else fail();
      }
    }
    if (char === '"') string();
    else if (char === "t") literal("true");
    else if (char === "f") literal("false");
    else if (char === "n") literal("null");
    else number();
  };
  try {
    value();
    space();
    return at < text.length ? at : undefined;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}

/**
 * The other flow documents in the same directory, by flow id, so subflow references can be
 * checked and inlined. Files that are not readable flow JSON are skipped.
 */
export async function siblingFlows(path: string): Promise<Map<string, Record<string, unknown>>> {
  const directory = dirname(resolve(path));
  const flows = new Map<string, Record<string, unknown>>();
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return flows;
  }
  for (const name of names.sort()) {
    if (!name.endsWith(".json") || name === basename(path)) continue;
    const read = await readFlowFile(join(directory, name));
    if (!read.ok || typeof read.document !== "object" || read.document === null) continue;
    const document = read.document as Record<string, unknown>;
    if (typeof document.id === "string" && Array.isArray(document.nodes) && !flows.has(document.id)) {
      flows.set(document.id, document);
    }
  }
  return flows;
}

/** The variable names a flow document declares (for subflow input/output checks). */
function declaredVariables(document: Record<string, unknown>): string[] {
  const variables = Array.isArray(document.variables) ? document.variables : [];
  return variables.flatMap((variable) =>
    typeof variable === "object" &&
    variable !== null &&
    typeof (variable as { name?: unknown }).name === "string"
      ? [(variable as { name: string }).name]
      : [],
  );
}

/** The result of {@link checkFlowFile}: every problem, and the flow's size when it parsed. */
export interface FlowFileCheck {
  problems: FlowProblem[];
  /** Problems only compilation finds (e.g. subflow recursion), in the same shape. */
  compileProblems: { nodeId: string | null; path: (string | number)[]; code: string; message: string }[];
  counts?: { nodes: number; edges: number };
}

/**
 * Checks a parsed flow document like `parley validate`: shape, semantics (with sibling flows as
 * the bot's other flows) and, when those pass, compilation with the sibling flows as subflows.
 */
export async function checkFlowFile(path: string, document: unknown): Promise<FlowFileCheck> {
  const siblings = await siblingFlows(path);
  const checked = checkFlow(document, {
    flowExists: (flowId) => siblings.has(flowId),
    flowVariables: (flowId) => {
      const sibling = siblings.get(flowId);
      return sibling ? declaredVariables(sibling) : undefined;
    },
  });
  const counts = checked.flow
    ? { nodes: checked.flow.nodes.length, edges: checked.flow.edges.length }
    : undefined;
  if (!checked.ok) return { problems: checked.problems, compileProblems: [], ...(counts ? { counts } : {}) };
  try {
    compile(document, { subflows: Object.fromEntries(siblings) });
    return { problems: [], compileProblems: [], ...(counts ? { counts } : {}) };
  } catch (error) {
    if (!(error instanceof FlowCompileError)) throw error;
    return { problems: [], compileProblems: error.problems, ...(counts ? { counts } : {}) };
  }
}

const USAGE = "Usage: parley validate <flow.json> [--json]";

/**
 * `parley validate <flow.json> [--json]`: prints every problem of a flow document (node id,
 * path, code and message; `--json` prints them as a JSON array). Other `*.json` flows in the
 * same directory count as the bot's other flows, for subflow references.
 * Exit codes: 0 valid, 1 problems found, 2 usage error (bad arguments, unreadable file, bad JSON).
 */
export async function validateCommand(argv: string[], io: CommandIo): Promise<number> {
  let asJson = false;
  const paths: string[] = [];
  for (const argument of argv) {
    if (argument === "--json") asJson = true;
    else if (argument === "--help" || argument === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return ExitCode.ok;
    } else if (argument.startsWith("-")) {
      io.stderr.write(`parley validate: unknown option ${argument}\n${USAGE}\n`);
      return ExitCode.usage;
    } else paths.push(argument);
  }
  if (paths.length !== 1) {
    io.stderr.write(
      `parley validate: ${paths.length === 0 ? "missing the flow file" : `expected one flow file, got ${paths.length}`}\n${USAGE}\n`,
    );
    return ExitCode.usage;
  }
  const path = paths[0]!;
  const read = await readFlowFile(path);
  if (!read.ok) {
    io.stderr.write(`parley validate: ${read.message}\n`);
    return ExitCode.usage;
  }

  const result = await checkFlowFile(path, read.document);
  const all = [...result.problems, ...result.compileProblems];
  if (asJson) {
    io.stdout.write(`${JSON.stringify({ file: path, valid: all.length === 0, problems: all }, null, 2)}\n`);
    return all.length === 0 ? ExitCode.ok : ExitCode.failure;
  }
  if (all.length === 0) {
    const size = result.counts ? ` (${result.counts.nodes} nodes, ${result.counts.edges} edges)` : "";
    io.stdout.write(`${path}: valid${size}\n`);
    return ExitCode.ok;
  }
  for (const problem of all) io.stdout.write(`${path}: ${formatFlowProblem(problem as FlowProblem)}\n`);
  io.stdout.write(`${all.length} problem${all.length === 1 ? "" : "s"} found\n`);
  return ExitCode.failure;
}
