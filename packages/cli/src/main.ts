import { UsageError } from "./args";
import { type Command, type CommandIo, ExitCode } from "./io";

interface CommandEntry {
  readonly summary: string;
  readonly usage: string;
  /** Loaded lazily so `parley validate` does not pay for the database driver, and so on. */
  readonly load: () => Promise<Command>;
  /** Internal plumbing that `parley start` runs in child processes; left out of the usage text. */
  readonly hidden?: boolean;
}

const commands: Record<string, CommandEntry> = {
  start: {
    summary: "start the whole product (embedded database unless DATABASE_URL is set)",
    usage: "parley start [--no-studio] [--no-runtime] [--workers N] [--verbose]",
    load: async () => (await import("./commands/start")).startCommand,
  },
  build: {
    summary: "prepare the studio build, bundles and database template ahead of `parley start`",
    usage: "parley build [--no-studio]",
    load: async () => (await import("./commands/build")).buildCommand,
  },
  migrate: {
    summary: "apply pending database migrations",
    usage: "parley migrate [--status]",
    load: async () => (await import("./commands/migrate")).migrateCommand,
  },
  seed: {
    summary: "create the demo tenant, owner, bot and keys (idempotent)",
    usage: "parley seed",
    load: async () => (await import("./commands/seed")).seedCommand,
  },
  conversations: {
    summary: "list a bot's conversations through the REST API (defaults: the demo's runtime, key and bot)",
    usage:
      "parley conversations [--bot ID] [--status waiting|handoff|ended] [--limit N] [--url URL] [--key sk_...] [--json]",
    load: async () => (await import("./commands/conversations")).conversationsCommand,
  },
  validate: {
    summary: "check a flow document and print every problem",
    usage: "parley validate <flow.json>",
    load: async () => (await import("./commands/validate")).validateCommand,
  },
  ask: {
    summary: "send one prompt through the model routing layer and show who answered, cost and latency",
    usage: 'parley ask "<prompt>" [--route NAME] [--json] [--config FILE]',
    load: async () => (await import("./commands/ask")).askCommand,
  },
  chat: {
    summary: "chat with a flow in the terminal",
    usage: "parley chat <flow.json> [--var name=value ...] [--trace]",
    load: async () => (await import("./commands/chat")).chatCommand,
  },
  "internal-db-template": {
    summary: "create a migrated embedded data directory (used by `parley start`)",
    usage: "parley internal-db-template <dir>",
    load: async () => (await import("./commands/internal-db-template")).internalDbTemplateCommand,
    hidden: true,
  },
};

/** The text `parley help` prints. */
export function usageText(): string {
  const listed = Object.entries(commands).filter(([, entry]) => !entry.hidden);
  const width = Math.max(...listed.map(([name]) => name.length));
  const lines = listed.map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  const usages = listed.map(([, entry]) => `  ${entry.usage}`);
  return [
    "Usage: parley <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Synopsis:",
    ...usages,
    "",
    "Run `parley help <command>` for one command.",
    "",
  ].join("\n");
}

/** Dispatches `argv` (without node and the script path) to a command and resolves to the exit code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0];
    if (topic !== undefined && commands[topic]) {
      io.stdout.write(`Usage: ${commands[topic].usage}\n\n${commands[topic].summary}\n`);
      return ExitCode.ok;
    }
    io.stdout.write(usageText());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`parley: unknown command "${name}"\n\n${usageText()}`);
    return ExitCode.usage;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`parley ${name}: ${error.message}\nUsage: ${entry.usage}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`parley ${name}: ${describeError(error)}\n`);
    return ExitCode.failure;
  }
}

/** One readable line for an unexpected error; the stack only when PARLEY_DEBUG is set. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return process.env.PARLEY_DEBUG ? (error.stack ?? error.message) : error.message;
}
