import pg from "pg";

/**
 * The outbox relay: moves the events written to the `outbox` table (in the transactions that made them,
 * see migration `outbox`) to consumer groups, in order, exactly once per group.
 *
 * How it works
 * - Sequencing (the leader only): rows are stamped with a `position` (dense, increasing) in id order,
 *   under the `outbox_relay_state` row lock. Every writer locks the conversation row before it inserts
 *   its events, so one conversation's rows are committed in id order and no row of a conversation can
 *   become visible after a later one: positions keep each conversation's order, and a position once
 *   handed out is never followed by a smaller one (which a plain `id > cursor` read could not promise).
 * - Consumer groups: a group's offset (`outbox_consumer_offsets`) is the last position it consumed.
 *   A group's batch runs in ONE transaction that locks the offset row (`FOR UPDATE SKIP LOCKED`: one
 *   process per group at a time, any process may serve it), hands the events after the offset to the
 *   group in position order and moves the offset. Handlers write through that transaction, so their
 *   writes and the offset commit together: a crash anywhere means the batch is redone as a whole, and
 *   nothing is consumed twice or lost. A sink with effects outside the database (Kafka) is at least
 *   once; its events carry their ids so consumers deduplicate.
 * - Leader: one process per cluster holds `pg_try_advisory_lock` on its own connection and does the
 *   sequencing and pruning (rows every group has consumed are deleted). The lock goes with the
 *   connection, so a killed leader is replaced at the next tick of another process. On the embedded
 *   database (PGlite: one backend session for every connection) every relay wins the lock; that is
 *   still correct, because PGlite runs one transaction at a time and the row locks above serialise the
 *   rest, it only does the work in turns.
 * - Dead letters: an event a handler fails `maxAttempts` times in a row (or a sink reports as not
 *   publishable) is recorded in `outbox_dead_letters` and the group moves on; a handler that throws
 *   {@link RetryLaterError} (or a sink that throws) stops the group instead, which retries later.
 */

/** One event as the relay hands it to a group. */
export interface OutboxEvent {
  /** The relay's position (increasing, in commit order per conversation). */
  position: number;
  /** The event's id (payload.id): deduplicate by it. */
  id: string;
  topic: string;
  tenantId: string;
  /** Partition key: the conversation id. */
  key: string;
  /** The whole event as published (see @parley/contract's event schemas). */
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The transaction a group's batch runs in: what a handler writes here commits with the group's offset. */
export interface OutboxTx {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  /**
   * Runs `effect` once the batch has committed (never when the handler's writes roll back), e.g. to
   * queue a job for a row the handler wrote. Not exactly once: a crash after the commit loses it, so
   * the effect must have a recovery path (a sweep over the committed rows) and be safe to repeat.
   * A failing effect is logged; it does not undo the batch.
   */
  afterCommit(effect: () => Promise<unknown> | unknown): void;
}

/**
 * Handles one event of a subscription, inside the group's transaction. Write through `tx` for exactly
 * once; do not use other connections from here (on the embedded database that would wait for this
 * transaction). Throw to fail the event (retried, then dead-lettered), or {@link RetryLaterError} to
 * stop the group until a later pass.
 */
export type OutboxHandler = (event: OutboxEvent, tx: OutboxTx) => Promise<void>;

/** A group that publishes batches somewhere outside the database (e.g. Kafka): at least once. */
export interface OutboxSink {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Publishes `events` (in order). Returns the events that can never be published (e.g. invalid, too
   * large) with the reason: they are dead-lettered, the rest counts as published. Throws when nothing
   * may be counted as published (broker unreachable): the batch is retried later, from the same offset.
   */
  publish(
    events: readonly OutboxEvent[],
  ): Promise<{ deadLetters?: readonly { event: OutboxEvent; error: string }[] }>;
  close?(): Promise<void>;
}

/** Thrown by a handler: stop this group now (its offset stays before the event) and retry later. */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
}

/** Options of {@link createOutboxRelay}. */
export interface OutboxRelayOptions {
  /** Events per group batch and per sequencing step (default 500). */
  batchSize?: number;
  /** Wait between passes when there was nothing to do, in ms (default 200). */
  idleMs?: number;
  /** Attempts of a handler on one event before it is dead-lettered (default 3). */
  maxAttempts?: number;
  /** Sequenced rows older than this are deleted even if a group has not consumed them (default 7 days). */
  retentionMs?: number;
  /** Advisory lock key of the leader (default a fixed key; tests may isolate relays). */
  lockKey?: number;
  /** Warnings (a failed pass, a dead letter); default silent. */
  logger?: { warn(details: Record<string, unknown>, message: string): void };
}

/** Lag of one consumer group: events of its topics not consumed yet. */
export interface OutboxLag {
  groupId: string;
  events: number;
  /** Age of the oldest of them in seconds (0 when none). */
  oldestSeconds: number;
}

/** What one {@link OutboxRelay.runOnce} pass did. */
export interface RelayPass {
  leader: boolean;
  sequenced: number;
  delivered: number;
  deadLettered: number;
  pruned: number;
  /** Some group or the sequencer left work for another pass. */
  more: boolean;
}

/** The relay of one process; see the module comment. */
export interface OutboxRelay {
  /**
   * Registers a consumer group `groupId` of `topic` (or topics): `handler` gets every event of them
   * exactly once per group (by the group's offset), in order. A group is the same everywhere: every
   * process that subscribes it must pass the same topics and an equivalent handler. Returns a function
   * that unsubscribes (the group's offset stays).
   */
  subscribe(topic: string | readonly string[], groupId: string, handler: OutboxHandler): () => void;
  /** Registers a sink as a consumer group (see {@link OutboxSink}). */
  addSink(sink: OutboxSink): void;
  /** Runs passes in the background until {@link stop} (waits `idleMs` when idle). */
  start(): void;
  /** One pass: try leadership, sequence, hand every registered group its next batch, prune. */
  runOnce(): Promise<RelayPass>;
  /** Passes until nothing is left to do (tests, benches, shutdown). */
  drain(maxPasses?: number): Promise<RelayPass>;
  /** Events waiting per registered group, and the rows not sequenced yet (group `(unsequenced)`). */
  lag(): Promise<OutboxLag[]>;
  /** Whether this process held the leader lock at its last pass. */
  isLeader(): boolean;
  /** Stops the loop, releases leadership, closes sinks. */
  stop(): Promise<void>;
}

/** The group name the lag of not yet sequenced rows is reported under. */
export const UNSEQUENCED_GROUP = "(unsequenced)";
/** Default advisory lock key of the relay leader ("parley.outbox" as a number). */
export const OUTBOX_LEADER_LOCK = 7_024_912_001;

/** A handler failed in a batch run without savepoints: redo it with one per event (internal). */
class CarefulRedo extends Error {}

interface Group {
  groupId: string;
  topics: string[];
  handler?: OutboxHandler;
  sink?: OutboxSink;
  /** No batch before this time (after a failure). */
  pausedUntil: number;
  failures: number;
  /** The offset this process last committed for the group (a pass skips it while nothing is newer). */
  known?: string;
  /** Its offset row exists. */
  registered?: boolean;
}

interface Row {
  id: string;
  event_id: string;
  topic: string;
  tenant_id: string;
  key: string;
  payload: Record<string, unknown>;
  created_at: Date;
  position: string;
}

const toEvent = (row: Row): OutboxEvent => ({
  position: Number(row.position),
  id: row.event_id,
  topic: row.topic,
  tenantId: row.tenant_id,
  key: row.key,
  payload: row.payload,
  createdAt: row.created_at,
});

const messageOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2_000);

/**
 * The relay over `connection` (the pool's connection settings; it opens its own connection, which holds
 * the leader lock). Reach it through `db.createOutboxRelay(options)`.
 */
export function createOutboxRelay(
  connection: pg.ClientConfig,
  options: OutboxRelayOptions = {},
): OutboxRelay {
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 200;
  const maxAttempts = options.maxAttempts ?? 3;
  const retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
  const lockKey = options.lockKey ?? OUTBOX_LEADER_LOCK;
  const groups = new Map<string, Group>();
  let client: pg.Client | undefined;
  let leader = false;
  let running = false;
  let stopped = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let passing: Promise<RelayPass> | undefined;

  const connect = async (): Promise<pg.Client> => {
    if (client) return client;
    const fresh = new pg.Client({ ...connection, application_name: "parley-outbox-relay" });
    fresh.on("error", () => {
      // A dropped connection loses the lock: the next pass reconnects and competes again.
      if (client === fresh) {
        client = undefined;
        leader = false;
      }
    });
    await fresh.connect();
    client = fresh;
    return fresh;
  };

  const dropConnection = async () => {
    const old = client;
    client = undefined;
    leader = false;
    await old?.end().catch(() => {});
  };

  const tryLead = async (db: pg.Client) => {
    if (leader) return true;
    const { rows } = await db.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      lockKey,
    ]);
    leader = rows[0]?.locked === true;
    return leader;
  };

  /** Stamps positions on up to batchSize unsequenced rows, in id order; returns how many. */
  const sequence = async (db: pg.Client): Promise<number> => {
    await db.query("BEGIN");
    try {
      const state = await db.query<{ last_position: string }>(
        "SELECT last_position FROM outbox_relay_state WHERE id = 1 FOR UPDATE",
      );
      const last = state.rows[0]?.last_position ?? "0";
      if (!state.rows[0]) await db.query("INSERT INTO outbox_relay_state (id, last_position) VALUES (1, 0)");
      // A new statement, so a new snapshot taken after the lock: rows another sequencer stamped are seen.
      const stamped = await db.query<{ position: string }>(
        `WITH next AS (
           SELECT id, $1::bigint + row_number() OVER (ORDER BY id) AS position
           FROM (SELECT id FROM outbox WHERE position IS NULL ORDER BY id LIMIT $2) unsequenced
         )
         UPDATE outbox o SET position = next.position FROM next WHERE o.id = next.id RETURNING o.position`,
        [last, batchSize],
      );
      const count = stamped.rowCount ?? 0;
      if (count > 0) {
        await db.query(
          "UPDATE outbox_relay_state SET last_position = $1::bigint + $2, updated_at = now() WHERE id = 1",
          [last, count],
        );
      }
      await db.query("COMMIT");
      return count;
    } catch (error) {
      await db.query("ROLLBACK").catch(() => {});
      throw error;
    }
  };

  const deadLetter = async (
    db: pg.Client,
    group: Group,
    event: OutboxEvent,
    error: string,
    attempts: number,
  ) => {
    await db.query(
      `INSERT INTO outbox_dead_letters (group_id, event_id, topic, tenant_id, key, payload, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [group.groupId, event.id, event.topic, event.tenantId, event.key, event.payload, error, attempts],
    );
    options.logger?.warn(
      { group: group.groupId, eventId: event.id, topic: event.topic, error },
      "outbox: event dead-lettered",
    );
  };

  /** Runs the after-commit effects of a committed batch, in order; a failure is only logged. */
  const runEffects = async (group: Group, effects: readonly (() => Promise<unknown> | unknown)[]) => {
    for (const effect of effects) {
      try {
        await effect();
      } catch (error) {
        options.logger?.warn({ group: group.groupId, err: error }, "outbox: an after-commit effect failed");
      }
    }
  };

  /** One batch of one group in one transaction; returns [delivered, deadLettered, more]. */
  const dispatch = async (
    db: pg.Client,
    group: Group,
    careful: boolean,
  ): Promise<[number, number, boolean]> => {
    await db.query("BEGIN");
    let delivered = 0;
    let dead = 0;
    const effects: (() => Promise<unknown> | unknown)[] = [];
    try {
      if (!group.registered) {
        await db.query(
          "INSERT INTO outbox_consumer_offsets (group_id) VALUES ($1) ON CONFLICT (group_id) DO NOTHING",
          [group.groupId],
        );
      }
      const offsetRow = await db.query<{ position: string }>(
        "SELECT position FROM outbox_consumer_offsets WHERE group_id = $1 FOR UPDATE SKIP LOCKED",
        [group.groupId],
      );
      if (!offsetRow.rows[0]) {
        // Another process is serving this group right now.
        await db.query("ROLLBACK");
        return [0, 0, false];
      }
      const offset = offsetRow.rows[0].position;
      const bound = await db.query<{ last_position: string }>(
        "SELECT last_position FROM outbox_relay_state WHERE id = 1",
      );
      const upTo = bound.rows[0]?.last_position ?? "0";
      const { rows } = await db.query<Row>(
        `SELECT id, event_id, topic, tenant_id, key, payload, created_at, position FROM outbox
         WHERE position > $1::bigint AND position <= $2::bigint AND topic = ANY($3::text[])
         ORDER BY position LIMIT $4`,
        [offset, upTo, group.topics, batchSize],
      );
      const events = rows.map(toEvent);
      // Without a full batch every position up to the bound is consumed (other topics' rows included).
      const full = events.length === batchSize;
      let reached: string = full ? String(events.at(-1)?.position) : upTo;
      if (group.sink) {
        if (events.length > 0) {
          const outcome = await group.sink.publish(events);
          for (const letter of outcome.deadLetters ?? []) {
            await deadLetter(db, group, letter.event, letter.error, 1);
            dead += 1;
          }
          delivered = events.length - dead;
        }
      } else if (group.handler) {
        const tx: OutboxTx = {
          query: (text, values) => db.query(text, values as unknown[]) as never,
          afterCommit: (effect) => {
            effects.push(effect);
          },
        };
        if (!careful) {
          // The common case costs no savepoints: every handler succeeds, one commit. A failure redoes
          // the whole batch carefully (a savepoint per event), so only the failing event is retried.
          for (const event of events) {
            try {
              await group.handler(event, tx);
            } catch {
              throw new CarefulRedo();
            }
          }
          delivered = events.length;
        }
        for (const event of careful ? events : []) {
          let attempts = 0;
          let done = false;
          let lastError = "";
          while (!done && attempts < maxAttempts) {
            attempts += 1;
            // The effects of an attempt that rolls back go with its writes.
            const effectsBefore = effects.length;
            await db.query("SAVEPOINT outbox_event");
            try {
              await group.handler(event, tx);
              await db.query("RELEASE SAVEPOINT outbox_event");
              done = true;
            } catch (error) {
              await db.query("ROLLBACK TO SAVEPOINT outbox_event");
              effects.length = effectsBefore;
              if (error instanceof RetryLaterError) {
                reached = String(event.position - 1);
                lastError = "retry-later";
                break;
              }
              lastError = messageOf(error);
            }
          }
          if (lastError === "retry-later") {
            await db.query(
              "UPDATE outbox_consumer_offsets SET position = $2::bigint, updated_at = now() WHERE group_id = $1",
              [group.groupId, reached],
            );
            await db.query("COMMIT");
            await runEffects(group, effects);
            group.registered = true;
            group.known = reached;
            group.failures += 1;
            group.pausedUntil = Date.now() + Math.min(30_000, idleMs * 2 ** group.failures);
            return [delivered, dead, false];
          }
          if (done) delivered += 1;
          else {
            await deadLetter(db, group, event, lastError, attempts);
            dead += 1;
          }
        }
      }
      await db.query(
        "UPDATE outbox_consumer_offsets SET position = $2::bigint, updated_at = now() WHERE group_id = $1",
        [group.groupId, reached],
      );
      await db.query("COMMIT");
      await runEffects(group, effects);
      group.failures = 0;
      group.registered = true;
      group.known = reached;
      return [delivered, dead, full];
    } catch (error) {
      // A connection that cannot even roll back is replaced at the next pass.
      await db.query("ROLLBACK").catch(() => dropConnection());
      throw error;
    }
  };

  /** Deletes rows every known group consumed, and sequenced rows past the retention. */
  const prune = async (db: pg.Client): Promise<number> => {
    const result = await db.query(
      `DELETE FROM outbox WHERE position IS NOT NULL AND (
         position <= (SELECT COALESCE(min(position), 0) FROM outbox_consumer_offsets)
         OR created_at < now() - make_interval(secs => $1::float8 / 1000))`,
      [retentionMs],
    );
    return result.rowCount ?? 0;
  };

  const pass = async (): Promise<RelayPass> => {
    const outcome: RelayPass = {
      leader: false,
      sequenced: 0,
      delivered: 0,
      deadLettered: 0,
      pruned: 0,
      more: false,
    };
    let db: pg.Client;
    try {
      db = await connect();
      outcome.leader = await tryLead(db);
      if (outcome.leader) {
        outcome.sequenced = await sequence(db);
        if (outcome.sequenced === batchSize) outcome.more = true;
      }
    } catch (error) {
      await dropConnection();
      throw error;
    }
    const now = Date.now();
    // Groups this process brought up to the last sequenced position have nothing new: skip them.
    const state = await db.query<{ last_position: string }>(
      "SELECT last_position FROM outbox_relay_state WHERE id = 1",
    );
    const bound = state.rows[0]?.last_position ?? "0";
    for (const group of groups.values()) {
      if (group.pausedUntil > now || group.known === bound) continue;
      try {
        const [delivered, dead, more] = await dispatch(db, group, false).catch((error: unknown) => {
          if (error instanceof CarefulRedo) return dispatch(db, group, true);
          throw error;
        });
        outcome.delivered += delivered;
        outcome.deadLettered += dead;
        if (more) outcome.more = true;
      } catch (error) {
        group.failures += 1;
        group.pausedUntil = Date.now() + Math.min(30_000, idleMs * 2 ** group.failures);
        options.logger?.warn({ group: group.groupId, err: error }, "outbox: group batch failed; will retry");
        if (!client) throw error;
      }
    }
    if (outcome.leader && !outcome.more) outcome.pruned = await prune(db);
    return outcome;
  };

  const runOnce = (): Promise<RelayPass> => {
    // Passes of one relay never overlap (the loop and a test's drain share the connection).
    const next = (passing ?? Promise.resolve(undefined as unknown as RelayPass))
      .catch(() => undefined)
      .then(() => pass());
    passing = next;
    return next;
  };

  const run = async () => {
    while (running) {
      let more = false;
      try {
        more = (await runOnce()).more;
      } catch (error) {
        options.logger?.warn({ err: error }, "outbox relay pass failed; will retry");
      }
      if (!running) break;
      if (!more) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          timer.unref?.();
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };

  const register = (group: Omit<Group, "pausedUntil" | "failures">) => {
    if (stopped) throw new Error("outbox relay: stopped");
    if (groups.has(group.groupId))
      throw new Error(`outbox relay: group ${group.groupId} is already registered`);
    if (group.topics.length === 0) throw new Error("outbox relay: a group needs at least one topic");
    groups.set(group.groupId, { ...group, pausedUntil: 0, failures: 0 });
  };

  return {
    subscribe(topic, groupId, handler) {
      register({ groupId, topics: typeof topic === "string" ? [topic] : [...topic], handler });
      return () => {
        groups.delete(groupId);
      };
    },
    addSink(sink) {
      register({ groupId: sink.groupId, topics: [...sink.topics], sink });
    },
    start() {
      if (running || stopped) return;
      running = true;
      loop = run();
    },
    runOnce,
    async drain(maxPasses = 10_000) {
      const total: RelayPass = {
        leader: false,
        sequenced: 0,
        delivered: 0,
        deadLettered: 0,
        pruned: 0,
        more: true,
      };
      for (let i = 0; i < maxPasses && total.more; i++) {
        const outcome = await runOnce();
        total.leader = outcome.leader;
        total.sequenced += outcome.sequenced;
        total.delivered += outcome.delivered;
        total.deadLettered += outcome.deadLettered;
        total.pruned += outcome.pruned;
        total.more = outcome.more;
      }
      return total;
    },
    async lag() {
      const db = await connect();
      const result: OutboxLag[] = [];
      const unsequenced = await db.query<{ events: string; oldest: number | null }>(
        `SELECT count(*) AS events, extract(epoch FROM now() - min(created_at))::float8 AS oldest
         FROM outbox WHERE position IS NULL`,
      );
      result.push({
        groupId: UNSEQUENCED_GROUP,
        events: Number(unsequenced.rows[0]?.events ?? 0),
        oldestSeconds: Math.max(0, unsequenced.rows[0]?.oldest ?? 0),
      });
      for (const group of groups.values()) {
        const { rows } = await db.query<{ events: string; oldest: number | null }>(
          `SELECT count(*) AS events, extract(epoch FROM now() - min(created_at))::float8 AS oldest
           FROM outbox WHERE topic = ANY($2::text[]) AND (position IS NULL OR position >
             COALESCE((SELECT position FROM outbox_consumer_offsets WHERE group_id = $1), 0))`,
          [group.groupId, group.topics],
        );
        result.push({
          groupId: group.groupId,
          events: Number(rows[0]?.events ?? 0),
          oldestSeconds: Math.max(0, rows[0]?.oldest ?? 0),
        });
      }
      return result;
    },
    isLeader: () => leader,
    async stop() {
      stopped = true;
      running = false;
      wake?.();
      await loop;
      await passing?.catch(() => undefined);
      if (client && leader) await client.query("SELECT pg_advisory_unlock($1)", [lockKey]).catch(() => {});
      await dropConnection();
      for (const group of groups.values()) await group.sink?.close?.().catch(() => {});
    },
  };
}
