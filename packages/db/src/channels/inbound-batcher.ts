import type pg from "pg";
import { sql } from "../sql/sql-text";
import { runTenantBatch } from "../sql/tenant-batch";

/** One inbound event row to store (see `ChannelStore.storeInbound`). */
export interface InboundRow {
  id: string;
  channelConfigId: string;
  eventId: string;
  threadId: string;
  payload: unknown;
}

interface Waiting {
  rows: readonly InboundRow[];
  resolve: (stored: { id: string; threadId: string }[]) => void;
  reject: (error: unknown) => void;
}

/** Most rows one insert takes: a backlog is stored in several statements. */
const MAX_BATCH_ROWS = 200;

/**
 * Stores inbound channel events with at most `concurrency` inserts in flight (internal). A call made
 * while they all run waits, and everything waiting for the same tenant then goes in ONE insert (one
 * transaction, one round trip): under load the webhooks' inserts group themselves instead of
 * queueing for connections one by one, and at low load a call runs at once, alone. Each caller gets
 * its own rows back (only the new ones: a platform's retry of a stored event id stores nothing, in
 * the same batch too) and fails with its batch (nothing of it was stored).
 */
export class InboundBatcher {
  readonly #pool: pg.Pool;
  readonly #concurrency: number;
  /** Calls waiting, by tenant, in arrival order of their tenant's first call. */
  readonly #waiting = new Map<string, Waiting[]>();
  #running = 0;

  constructor(pool: pg.Pool, concurrency: number) {
    this.#pool = pool;
    this.#concurrency = Math.max(1, concurrency);
  }

  /** Stores `rows` for `tenantId`; returns the rows that were new. */
  store(tenantId: string, rows: readonly InboundRow[]): Promise<{ id: string; threadId: string }[]> {
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(tenantId);
      if (waiting) waiting.push({ rows, resolve, reject });
      else this.#waiting.set(tenantId, [{ rows, resolve, reject }]);
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const next = this.#waiting.entries().next();
      if (next.done) return;
      const [tenantId, waiting] = next.value;
      // Whole calls up to the row limit (a single larger call goes alone).
      let count = 0;
      let taken = 0;
      while (
        taken < waiting.length &&
        (taken === 0 || count + waiting[taken]!.rows.length <= MAX_BATCH_ROWS)
      ) {
        count += waiting[taken]!.rows.length;
        taken += 1;
      }
      const batch = waiting.splice(0, taken);
      if (waiting.length === 0) this.#waiting.delete(tenantId);
      this.#running += 1;
      void this.#insert(tenantId, batch).finally(() => {
        this.#running -= 1;
        this.#pump();
      });
    }
  }

  async #insert(tenantId: string, batch: readonly Waiting[]): Promise<void> {
    const rows = batch.flatMap((call) =>
      call.rows.map((row) => ({
        id: row.id,
        channel_config_id: row.channelConfigId,
        event_id: row.eventId.slice(0, 200),
        thread_id: row.threadId,
        payload: row.payload,
      })),
    );
    let stored: Map<string, string>;
    try {
      const [inserted] = await runTenantBatch(this.#pool, tenantId, [
        sql`INSERT INTO channel_inbound_events (id, tenant_id, channel_config_id, event_id, thread_id, payload)
          SELECT e.id, ${tenantId}, e.channel_config_id, e.event_id, e.thread_id, e.payload
          FROM jsonb_to_recordset(${rows}) AS e(id text, channel_config_id text, event_id text, thread_id text,
            payload jsonb)
          ON CONFLICT (channel_config_id, event_id) DO NOTHING
          RETURNING id, thread_id AS "threadId"`,
      ]);
      stored = new Map((inserted ?? []).map((row) => [row.id as string, row.threadId as string]));
    } catch (error) {
      for (const call of batch) call.reject(error);
      return;
    }
    for (const call of batch) {
      call.resolve(
        call.rows.flatMap((row) => {
          const threadId = stored.get(row.id);
          return threadId === undefined ? [] : [{ id: row.id, threadId }];
        }),
      );
    }
  }
}
