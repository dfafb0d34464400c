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
