/**
 * Whether an error means the database could not be reached or dropped the connection (a restart, a
 * failover, a crash), rather than that the statement was wrong. Such a request may simply be retried,
 * so the HTTP layer answers 503 with Retry-After instead of a 500 that says "our bug".
 *
 * Looks at the whole `cause` chain and at each layer's own vocabulary: Node socket codes, Postgres
 * SQLSTATE classes 08 (connection exception) and 57P (operator intervention: admin/crash shutdown,
 * cannot connect now), node-postgres's messages for a socket that closed under it, Prisma's driver
 * adapter kinds and its connector codes P1001/P1017.
 *
 * @example
 * ```ts
 * try { await db.system.$queryRaw`SELECT 1`; }
 * catch (error) { if (isConnectionLost(error)) return retryLater(); throw error; }
 * ```
 */
export function isConnectionLost(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== null && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    if (layerSaysConnectionLost(current as ErrorLayer)) return true;
    const layer = current as ErrorLayer;
    current = layer.cause ?? layer.meta?.driverAdapterError;
  }
  return false;
}

interface ErrorLayer {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"]);
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017"]);
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
/** node-postgres's own messages when the socket goes away under a client or a query. */
const CLOSED_SOCKET =
  /Connection terminated|Client has encountered a connection error|connection (is )?closed/i;

function layerSaysConnectionLost(layer: ErrorLayer): boolean {
  for (const code of [layer.code, layer.originalCode]) {
    if (typeof code !== "string") continue;
    if (SOCKET_CODES.has(code) || PRISMA_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === "53300") return true;
  }
  if (typeof layer.kind === "string" && ADAPTER_KINDS.has(layer.kind)) return true;
  return typeof layer.message === "string" && CLOSED_SOCKET.test(layer.message);
}
