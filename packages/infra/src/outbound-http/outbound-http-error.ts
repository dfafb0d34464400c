import { InfraError } from "../internal/infra-error";

/** Why a guarded request was refused or failed. */
export type OutboundHttpErrorCode =
  | "INVALID_URL"
  | "BLOCKED_DESTINATION"
  | "DNS_FAILED"
  | "TOO_MANY_REDIRECTS"
  | "RESPONSE_TOO_LARGE"
  | "TIMEOUT"
  | "ABORTED"
  | "NETWORK_ERROR";

/** A guarded request that was refused (SSRF rules) or failed in transport. */
export class OutboundHttpError extends InfraError {
  declare readonly code: OutboundHttpErrorCode;
  constructor(code: OutboundHttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
