import type { Database } from "@parley/db";

/** Whether the database can keep knowledge vectors, and why not. */
export type VectorSupport = { available: true } | { available: false; reason: string };

/**
 * The vectors table. Not part of the migrations on purpose: the migrations must run on every
 * Postgres, and pgvector is an optional extension. It is created the first time a tenant with an
 * embedding model indexes or searches, on databases that offer the extension (Debian's
 * postgresql-NN-pgvector, the embedded database's bundled pgvector). Row-level security matches
 * every other tenant table (parley_secure_tenant_tables' policies, written out for this table
 * alone so the other tables' policies are not re-created under traffic).
 */
const SETUP_STATEMENTS = [
  "CREATE EXTENSION IF NOT EXISTS vector",
  `CREATE TABLE IF NOT EXISTS knowledge_embeddings (
     chunk_id text PRIMARY KEY REFERENCES knowledge_chunks (id) ON DELETE CASCADE,
     tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
     bot_id text NOT NULL,
     space text NOT NULL,
     embedding vector NOT NULL,
     created_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  "CREATE INDEX IF NOT EXISTS knowledge_embeddings_bot_space_idx ON knowledge_embeddings (tenant_id, bot_id, space)",
  "ALTER TABLE knowledge_embeddings ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE knowledge_embeddings FORCE ROW LEVEL SECURITY",
  "DROP POLICY IF EXISTS tenant_isolation ON knowledge_embeddings",
  `CREATE POLICY tenant_isolation ON knowledge_embeddings
     USING (tenant_id = current_setting('app.tenant_id', true))
     WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`,
  "DROP POLICY IF EXISTS system_access ON knowledge_embeddings",
  "CREATE POLICY system_access ON knowledge_embeddings TO parley_system USING (true) WITH CHECK (true)",
  "GRANT SELECT, INSERT, UPDATE, DELETE ON knowledge_embeddings TO parley_app",
];

interface ProbeRow {
  ready: boolean;
  offered: boolean;
}

/**
 * Makes sure the knowledge vectors table exists, creating the pgvector extension and the table when
 * the server offers the extension (idempotent; concurrent processes serialise on an advisory lock).
 * Never throws: a server without pgvector, or a role that may not create it, gives
 * `{ available: false, reason }` and retrieval stays full-text only.
 */
export async function ensureKnowledgeVectors(db: Pick<Database, "system">): Promise<VectorSupport> {
  try {
    const [probe] = (await db.system.$queryRawUnsafe(
      `SELECT to_regclass('knowledge_embeddings') IS NOT NULL AS ready,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS offered`,
    )) as ProbeRow[];
    if (probe?.ready) return { available: true };
    if (!probe?.offered) {
      return {
        available: false,
        reason: "the database server does not offer the pgvector extension (vector)",
      };
    }
    await db.system.$transaction(async (tx) => {
      // The lock function returns void, which clients cannot decode: select a count over it instead.
      await tx.$queryRawUnsafe(
        "SELECT count(*)::int AS n FROM (SELECT pg_advisory_xact_lock(hashtext('parley.knowledge_embeddings'))) AS l",
      );
      for (const statement of SETUP_STATEMENTS) await tx.$executeRawUnsafe(statement);
    });
    return { available: true };
  } catch (error) {
    return {
      available: false,
      reason: `could not set up knowledge vectors: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
