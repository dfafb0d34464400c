import type pg from "pg";

/**
 * The database's configuration revision, as this process last read it: a counter that triggers
 * bump in the same transaction as any change to API keys, bots' keys/origins/entry flow, flows'
 * published version and integrations (migration `config_revision`). Processes keep those in
 * memory and drop them when the revision moves, so a change is effective in every process (the
 * studio and the runtime on the embedded database, or any number of cluster workers) within one
 * poll interval.
 */
export interface ConfigRevision {
  /**
   * The revision last read (-1 until the first read). The first call starts polling every
   * `intervalMs` (the timer does not keep the process alive).
   */
  current(): number;
  /** Reads the revision now; call after this process changed configuration itself. */
  refresh(): Promise<number>;
  /** Stops polling (the database's `close()` does it). */
  close(): void;
}

/** Default poll interval: changes are picked up within about half a second. */
export const CONFIG_REVISION_POLL_MS = 500;

/** A {@link ConfigRevision} reading `parley_config_revision` through `pool` (internal; see `Database`). */
export function watchConfigRevision(pool: pg.Pool, intervalMs = CONFIG_REVISION_POLL_MS): ConfigRevision {
  let revision = -1;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let inFlight: Promise<number> | undefined;

  const read = (): Promise<number> => {
    inFlight ??= pool
      .query<{ revision: string }>(
        "SELECT revision::text AS revision FROM parley_config_revision WHERE id = 1",
      )
      .then(
        (result) => {
          // Never move backwards: an older read finishing late must not undo a newer one.
          const value = Number(result.rows[0]?.revision ?? 0);
          if (value > revision) revision = value;
          return revision;
        },
        // Unreachable database: keep the last value (requests that need the database fail on their own).
        () => revision,
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    current() {
      if (!timer && !closed) {
        timer = setInterval(() => void read(), intervalMs);
        timer.unref();
        void read();
      }
      return revision;
    },
    refresh: read,
    close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
