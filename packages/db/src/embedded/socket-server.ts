import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { PortInUseError } from "../errors";
import { ScramSha256Verifier } from "./password-auth";
import { isPriorityApplication } from "./session-priority";
import { SessionScheduler } from "./session-scheduler";

/** Options of {@link PgliteSocketServer} (internal). */
export interface PgliteSocketServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Connections beyond this get a proper "too many connections" error (SQLSTATE 53300). */
  maxConnections: number;
  /**
   * A connection that holds the session (open transaction or half-sent batch) while others wait, and sends
   * nothing for this long, is disconnected so its transaction rolls back and the others can proceed.
   */
  sessionHoldTimeoutMs: number;
  /** Clients must prove this password (SCRAM-SHA-256) before PGlite sees anything from them. */
  password: string;
}

/** A client has this long to authenticate. */
const AUTHENTICATION_TIMEOUT_MS = 10_000;

/**
 * Serves one PGlite instance over the Postgres wire protocol on TCP (internal), to clients that
 * prove the server's password first (see password-auth.ts).
 *
 * Uses pglite-socket's per-connection handler (message framing, SSL refusal, cancel requests) with our
 * {@link SessionScheduler} instead of its built-in queue, which lets extended-protocol batches of
 * different connections interleave. Connections that ask for session priority in their
 * `application_name` (see session-priority.ts) are served first between transactions.
 */
export class PgliteSocketServer {
  readonly #options: PgliteSocketServerOptions;
  readonly #scheduler: SessionScheduler;
  readonly #handlers = new Set<PGLiteSocketHandler>();
  readonly #sockets = new Set<Socket>();
  readonly #verifier: ScramSha256Verifier;
  #authenticating = 0;
  #server: Server | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #port = 0;

  constructor(db: PGlite, options: PgliteSocketServerOptions) {
    this.#options = options;
    this.#scheduler = new SessionScheduler(db);
    this.#verifier = new ScramSha256Verifier(options.password);
  }

  /** The bound port (after {@link start}). */
  get port(): number {
    return this.#port;
  }

  /** Number of attached client connections. */
  get connectionCount(): number {
    return this.#handlers.size;
  }

  /** Client messages waiting for the session. */
  get queuedMessages(): number {
    return this.#scheduler.getQueueLength();
  }

  /** Starts listening; rejects with {@link PortInUseError} when the port is taken. */
  async start(): Promise<void> {
    const server = createServer((socket) => void this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        reject(
          error.code === "EADDRINUSE"
            ? new PortInUseError(this.#options.host, this.#options.port, { cause: error })
            : error,
        );
      });
      server.listen(this.#options.port, this.#options.host, () => resolve());
    });
    const address = server.address();
    this.#port = typeof address === "object" && address !== null ? address.port : this.#options.port;
    this.#server = server;
    this.#watchdog = setInterval(() => this.#releaseStuckSession(), 1000);
    this.#watchdog.unref();
  }

  /**
   * Stops accepting, disconnects every client (rolling back what they left open) and waits until no
   * statement is running. Acknowledged commits are already on disk; nothing else is pending.
   */
  async stop(): Promise<void> {
    clearInterval(this.#watchdog);
    const server = this.#server;
    this.#server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await Promise.all([...this.#handlers].map((handler) => handler.detach(true)));
    this.#handlers.clear();
    // Connections that never got a handler (refused, or still in their first packet) would keep
    // server.close() waiting.
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    await this.#scheduler.idle();
  }

  async #accept(socket: Socket): Promise<void> {
    if (!this.#server) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    if (this.#handlers.size + this.#authenticating >= this.#options.maxConnections) {
      socket.end(tooManyConnectionsResponse(this.#options.maxConnections), () => socket.destroy());
      return;
    }
    this.#authenticating += 1;
    const startup = await this.#verifier.authenticate(socket, AUTHENTICATION_TIMEOUT_MS).finally(() => {
      this.#authenticating -= 1;
    });
    if (!startup || !this.#server || socket.destroyed) {
      if (!socket.destroyed && !startup) socket.once("finish", () => socket.destroy());
      else socket.destroy();
      return;
    }
    // PGlite gets the client's startup message (and anything sent behind it) as if it came first:
    // it answers AuthenticationOk and the session proceeds as before.
    socket.unshift(startup.replay);
    const handler = new PGLiteSocketHandler({
      // The handler only calls enqueue/clearQueueForHandler/clearTransactionIfNeeded, which the scheduler
      // implements; the declared type is pglite-socket's own (unexported) queue class.
      queryQueue: this.#scheduler as unknown as PGLiteSocketHandlerOptions["queryQueue"],
      closeOnDetach: true,
    });
    if (isPriorityApplication(startup.parameters.get("application_name"))) {
      this.#scheduler.prioritize(handler.handlerId);
    }
    this.#handlers.add(handler);
    const forget = () => this.#handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
    socket.resume();
  }

  #releaseStuckSession(): void {
    const blocking = this.#scheduler.blockingOwner();
    if (!blocking || blocking.idleMs < this.#options.sessionHoldTimeoutMs) return;
    for (const handler of this.#handlers) {
      if (handler.handlerId !== blocking.connectionId) continue;
      // detach() removes the socket listeners first, so the handler's own "close" event never comes.
      this.#handlers.delete(handler);
      void handler.detach(true);
    }
  }
}

/** An ErrorResponse with SQLSTATE 53300, which clients report as a normal database error. */
function tooManyConnectionsResponse(limit: number): Buffer {
  const fields = [
    ["S", "FATAL"],
    ["V", "FATAL"],
    ["C", "53300"],
    ["M", `too many connections to the embedded database (limit ${limit}); lower the pool size`],
  ];
  const body = Buffer.concat([
    ...fields.map(([key, value]) => Buffer.from(`${key}${value}\0`, "utf8")),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header[0] = 0x45; // 'E'
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
