import { createPostgresTranscriptStore, type Database, type TranscriptStore } from "@parley/db";
import type { CoreDeps } from "../context";

const postgresStores = new WeakMap<Database, TranscriptStore>();

/** The Postgres transcript store over `db` (one per database, internal). */
export function postgresTranscripts(db: Database): TranscriptStore {
  let store = postgresStores.get(db);
  if (!store) {
    store = createPostgresTranscriptStore(db);
    postgresStores.set(db, store);
  }
  return store;
}

/** The store transcripts are read from: MongoDB when configured, else Postgres (internal). */
export function transcriptsOf(deps: CoreDeps): TranscriptStore {
  return deps.transcripts ?? postgresTranscripts(deps.db);
}

/** The store the turn's transcripts are mirrored to, when it is not Postgres (internal). */
export function transcriptArchiveOf(deps: CoreDeps): TranscriptStore | undefined {
  return deps.transcripts && deps.transcripts.kind !== "postgres" ? deps.transcripts : undefined;
}

/**
 * Runs `read` on the selected store; when that is the archive and it fails (MongoDB unreachable),
 * logs and runs it on Postgres, which still holds every conversation row and each conversation's
 * recent messages (older ones are pruned once archived, see hot-history): lists stay available while
 * the archive is down, and a caller reading messages checks they start at the first (internal).
 */
export async function readTranscripts<T>(
  deps: CoreDeps,
  read: (store: TranscriptStore) => Promise<T>,
): Promise<{ value: T; store: TranscriptStore }> {
  const archive = transcriptArchiveOf(deps);
  if (archive) {
    try {
      return { value: await read(archive), store: archive };
    } catch (error) {
      deps.logger?.warn({ error: String(error) }, "transcript archive unavailable; reading Postgres");
    }
  }
  const store = postgresTranscripts(deps.db);
  return { value: await read(store), store };
}
