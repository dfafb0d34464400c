/**
 * Base class of every error @parley/infra throws on purpose. `code` is stable and meant for
 * programs (`if (error.code === "LOCK_TIMEOUT")`); `message` is for people.
 */
export class InfraError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
