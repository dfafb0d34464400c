/**
 * The logging surface infra needs: a subset of pino's API (`logger.warn(details, message)`), so an app
 * passes its pino logger and everything lands in the same structured log.
 */
export interface InfraLogger {
  /** Something went wrong but the component recovered or will retry. */
  warn(details: Record<string, unknown>, message: string): void;
  /** Something failed that an operator should look at. */
  error(details: Record<string, unknown>, message: string): void;
}

/** Writes one JSON line per entry to stderr; the default when an app passes no logger. */
export const stderrLogger: InfraLogger = {
  warn: (details, message) => writeLine("warn", details, message),
  error: (details, message) => writeLine("error", details, message),
};

/** Drops everything; for tests that provoke failures on purpose. */
export const silentLogger: InfraLogger = { warn: () => {}, error: () => {} };

function writeLine(level: string, details: Record<string, unknown>, message: string): void {
  process.stderr.write(`${JSON.stringify({ level, component: "infra", msg: message, ...details })}\n`);
}

/** Turns anything thrown into a message that is safe to log (no stack, no data payloads). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
