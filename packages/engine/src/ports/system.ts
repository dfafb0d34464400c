/** Source of the current time; injected so turns are reproducible in tests. */
export interface ClockPort {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Source of randomness; injected so turns are reproducible in tests. */
export interface RandomPort {
  /** A number in [0, 1). */
  next(): number;
}

/** Structured logger (pino-compatible subset). Never pass secrets in `fields`. */
export interface LoggerPort {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The real clock. */
export const systemClock: ClockPort = { now: () => Date.now() };

/** `Math.random` as a port. */
export const systemRandom: RandomPort = { next: () => Math.random() };

/** A logger that drops everything. */
export const silentLogger: LoggerPort = { debug() {}, info() {}, warn() {}, error() {} };
