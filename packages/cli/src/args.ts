import { type ParseArgsConfig, parseArgs } from "node:util";

/** A bad command line; the message names the offending argument. `main` prints it with the usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * `node:util` parseArgs in strict mode, with its errors turned into `UsageError`s that name the
 * argument (e.g. `unknown option --wrokers`).
 */
export function parseCommandArgs<const Options extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: Options,
  { allowPositionals = false }: { allowPositionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message
      .replace(/^Unknown option '(.+?)'.*$/s, "unknown option $1")
      .replace(/^Unexpected argument '(.+?)'.*$/s, "unexpected argument $1");
    throw new UsageError(message);
  }
}

/** Parses a positive integer option value, naming the option when it is not one. */
export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  }
  return parsed;
}
