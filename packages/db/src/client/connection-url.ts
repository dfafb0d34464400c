/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

/** A short human reason for a failed connection attempt (pg and Node error codes). */
export function describeConnectionFailure(error: unknown, connectTimeoutMs: number): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (nothing is listening there)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "ETIMEDOUT":
      return `timed out after ${connectTimeoutMs} ms`;
    case "28P01":
    case "28000":
      return `authentication failed (${message})`;
    case "3D000":
      return `the database does not exist (${message})`;
    case "53300":
      return `the server has too many connections (${message})`;
    default:
      return /timeout/i.test(message) ? `timed out after ${connectTimeoutMs} ms` : message;
  }
}
