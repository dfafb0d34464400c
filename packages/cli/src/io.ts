/** The streams a command talks through; tests pass in-memory streams. */
export interface CommandIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A CLI command: takes its own arguments (after the command name) and resolves to an exit code. */
export type Command = (argv: string[], io: CommandIo) => Promise<number>;

/** Exit codes shared by every command. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
