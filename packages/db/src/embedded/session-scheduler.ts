import type { PGlite } from "@electric-sql/pglite";

/**
 * Decides which client connection may talk to PGlite's single backend session next (internal).
 *
 * PGlite is one Postgres backend: every socket connection shares its session state. pglite-socket 0.2.17
 * serialises individual protocol messages and only keeps a connection's messages together while an
 * explicit transaction is open, so the Parse/Bind/Execute/Sync batches of two connections can interleave
 * and clobber each other's unnamed statement ("unnamed prepared statement does not exist", or silently
 * wrong rows; electric-sql/pglite#1046). It also stops processing for good when one message throws.
 *
 * This scheduler implements the queue interface pglite-socket's connection handler expects, with one rule:
 * a connection that starts talking OWNS the session until the backend is back at a clean ReadyForQuery,
 * i.e. after a Sync, a simple Query, the startup packet or Terminate, and outside a transaction block.
 * Other connections' messages wait in arrival order. Throughput is unchanged (PGlite runs one statement at
 * a time anyway); correctness under a connection pool is restored.
 *
 * Prioritised connections (see session-priority.ts) jump that order: when the session is free, the
 * oldest message of a prioritised connection goes first, so a webhook's insert waits for the statement
 * that runs, not for every transaction queued before it (each queued turn costs milliseconds: a busy
 * runtime queues ten). The loop lets the event loop read the sockets between batches, so a statement
 * that arrived while others ran is seen before the next one starts. Never inside another connection's
 * batch or transaction, and at most {@link MAX_PRIORITY_IN_A_ROW} times in a row past an older message,
 * so others are never starved.
 */
export class SessionScheduler {
  readonly #db: PGlite;
  readonly #queue: PendingMessage[] = [];
  readonly #priority = new Set<number>();
  #owner: number | null = null;
  /** Batches given to prioritised connections in a row while an older message waited. */
  #jumpedAhead = 0;
  #pumping = false;
  /** When the owner's last message finished; used to find a connection idling inside a transaction. */
  #ownerIdleSince = 0;

  constructor(db: PGlite) {
    this.#db = db;
  }

  /** Queue one frontend message of a connection; resolves with the number of response bytes. */
  enqueue(connectionId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ connectionId, message, onData, resolve, reject });
      void this.#pump();
    });
  }

  /** Serves the connection's batches before those of others that queued earlier (see the class doc). */
  prioritize(connectionId: number): void {
    this.#priority.add(connectionId);
  }

  /** Drop the queued messages of a connection that went away. */
  clearQueueForHandler(connectionId: number): void {
    this.#priority.delete(connectionId);
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const pending = this.#queue[i]!;
      if (pending.connectionId === connectionId) {
        this.#queue.splice(i, 1);
        pending.reject(new Error("connection closed"));
      }
    }
  }

  /**
   * Release the session if a departing connection owned it, ending its half-sent batch and rolling back
   * its open transaction so the next connection starts clean.
   */
  async clearTransactionIfNeeded(connectionId: number): Promise<void> {
    if (this.#owner !== connectionId) return;
    await this.#db.runExclusive(async () => {
      // Re-checked inside the mutex: while the owner is set, no other connection's message can run, so
      // the state cleaned up here is the departing connection's own.
      if (this.#owner !== connectionId) return;
      // Raw protocol on purpose: PGlite's exec() takes the mutex held here and would deadlock. The
      // responses are discarded explicitly; PGlite would otherwise hand them to the last stream's callback,
      // i.e. to some client's socket.
      const discard = { onRawData: () => {} };
      // A Sync ends an unfinished extended-protocol batch (and its ignore-until-Sync error state).
      await this.#db.execProtocolRawStream(SYNC_MESSAGE, discard);
      if (this.#db.isInTransaction()) await this.#db.execProtocolRawStream(ROLLBACK_MESSAGE, discard);
      this.#owner = null;
    });
    void this.#pump();
  }

  /** Messages waiting for the session. */
  getQueueLength(): number {
    return this.#queue.length;
  }

  /**
   * The connection holding the session while other connections wait and it sends nothing, with how long
   * it has been idle; `undefined` when nobody is blocked.
   */
  blockingOwner(now = Date.now()): { connectionId: number; idleMs: number } | undefined {
    const owner = this.#owner;
    if (owner === null || this.#pumping) return undefined;
    if (this.#queue.some((m) => m.connectionId === owner)) return undefined;
    if (!this.#queue.some((m) => m.connectionId !== owner)) return undefined;
    return { connectionId: owner, idleMs: now - this.#ownerIdleSince };
  }

  /** Resolves once no message is being executed (used before closing the database). */
  async idle(): Promise<void> {
    while (this.#pumping) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  #next(): PendingMessage | undefined {
    if (this.#owner === null) {
      const index = this.#priorityIndex();
      this.#jumpedAhead = index > 0 ? this.#jumpedAhead + 1 : 0;
      return this.#queue.splice(index, 1)[0];
    }
    const index = this.#queue.findIndex((m) => m.connectionId === this.#owner);
    return index === -1 ? undefined : this.#queue.splice(index, 1)[0];
  }

  /** Where the next batch starts in the queue: a prioritised connection's oldest message, else the oldest. */
  #priorityIndex(): number {
    if (this.#priority.size === 0 || this.#jumpedAhead >= MAX_PRIORITY_IN_A_ROW) return 0;
    const index = this.#queue.findIndex((m) => this.#priority.has(m.connectionId));
    return index === -1 ? 0 : index;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let item = this.#next(); item !== undefined; item = this.#next()) {
        this.#owner = item.connectionId;
        let bytes = 0;
        try {
          await this.#db.runExclusive(() =>
            this.#db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          // An internal failure (not an SQL error: those come back as ErrorResponse bytes). The handler
          // closes the connection, which releases the session through clearTransactionIfNeeded.
          item.reject(error);
          continue;
        } finally {
          this.#ownerIdleSince = Date.now();
        }
        if (endsBatch(item.message) && !this.#db.isInTransaction()) this.#owner = null;
        item.resolve(bytes);
        // PGlite executes synchronously, so this loop would run queued batches back to back in
        // microtasks, and no socket is read until the queue is empty: a prioritised statement sent
        // meanwhile would wait for all of them unseen. Between batches, the event loop reads what
        // arrived first, and the choice of the next batch sees it.
        if (this.#owner === null && this.#queue.length > 0) await yieldToIo();
      }
    } finally {
      this.#pumping = false;
    }
  }
}

/**
 * Most batches of prioritised connections served in a row while an older message of another waits.
 * Ingest connections are few and send one short statement at a time, so this bound is hardly ever
 * reached; it keeps a flood of them from starving everyone else.
 */
export const MAX_PRIORITY_IN_A_ROW = 8;

interface PendingMessage {
  connectionId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);
const ROLLBACK_MESSAGE = simpleQueryMessage("ROLLBACK");

/** Encodes a simple-protocol Query message. */
function simpleQueryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message[0] = SIMPLE_QUERY;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}

/** Resolves after the event loop's next poll for I/O (socket data that arrived meanwhile is queued). */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** True for messages after which the backend reports ReadyForQuery (or the connection ends). */
function endsBatch(message: Uint8Array): boolean {
  const type = message[0];
  // The startup packet has no type byte; its first byte is the high byte of its (small) length.
  return type === SYNC || type === SIMPLE_QUERY || type === TERMINATE || type === 0;
}
