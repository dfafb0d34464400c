import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { type Catalog, readCatalog, withoutExtras } from "../tooling/catalog";
import { diffSchemas, schemaPath } from "../tooling/prisma-cli";
import { readSchemaModels } from "../tooling/schema-text";

/**
 * The migrations must produce exactly the schema the Prisma client expects. One database gets the committed
 * migrations (schema public); the same database gets `prisma migrate diff --from-empty
 * --to-schema-datamodel prisma/schema.prisma --script` in a second schema. Their catalogs must match,
 * except for the hand-written extras listed here, each of which must exist.
 */
const tenantTables = readSchemaModels()
  .filter((model) => model.fields.includes("tenantId"))
  .map((model) => model.table);
const secured = [...tenantTables, "tenants"];

const HAND_WRITTEN: Partial<Record<keyof Catalog, readonly string[]>> = {
  tables: ["parley_migrations", "parley_config_revision"],
  columns: [
    "parley_migrations.name",
    "parley_migrations.checksum",
    "parley_migrations.applied_at",
    "parley_migrations.execution_ms",
    "parley_config_revision.id",
    "parley_config_revision.revision",
    "messages.search_vector",
  ],
  constraints: [
    "parley_migrations parley_migrations_pkey",
    "flow_versions flow_versions_published_complete",
    "parley_config_revision parley_config_revision_pkey",
    "parley_config_revision parley_config_revision_single_row",
  ],
  indexes: [
    "parley_migrations_pkey",
    "budgets_tenant_wide_key",
    "parley_config_revision_pkey",
    "messages_text_search",
    "experiments_one_running_per_bot",
    "contacts_tenant_phone_digits",
    "contacts_tenant_email_lower",
    "outbox_unsequenced",
    "outbox_position",
  ],
  triggers: [
    "flow_versions flow_versions_published_immutable",
    "audit_log audit_log_append_only",
    "audit_log audit_log_no_truncate",
    "knowledge_chunks knowledge_chunks_search_vector",
    "api_keys api_keys_config_revision",
    "bots bots_config_revision",
    "flows flows_config_revision",
    "integrations integrations_config_revision",
    "channel_configs channel_configs_config_revision",
    "experiments experiments_config_revision",
    "conversations conversations_touch_updated_at",
    "conversations conversations_mark_facts_deleted",
  ],
  functions: [
    "parley_bump_config_revision",
    "parley_commit_step",
    "parley_secure_tenant_tables",
    "parley_purge_allowed",
    "parley_guard_published_flow_version",
    "parley_guard_audit_log",
    "parley_knowledge_chunk_search_vector",
    "parley_touch_conversation_updated_at",
    "parley_mark_conversation_facts_deleted",
  ],
  policies: secured.flatMap((table) => [`${table} tenant_isolation`, `${table} system_access`]),
  rowSecurity: secured.map((table) => `${table} forced`),
};

const kinds = await availableTestDatabaseKinds();

/** The CLI's SQL for schema.prisma, computed once (it only needs some server to connect to). */
let prismaSql: Promise<string> | undefined;

describe.each(kinds)("schema parity on %s", (kind) => {
  let testDb: TestDatabase;
  let pool: pg.Pool;
  let migrated: Catalog;
  let expected: Catalog;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    pool = new pg.Pool({ connectionString: testDb.url, max: 1 });
    // The CLI only needs a connection; reuse the first test database's server.
    prismaSql ??= diffSchemas("empty", schemaPath, testDb.url);
    const sql = await prismaSql;
    const client = await pool.connect();
    try {
      await client.query("CREATE SCHEMA prisma_expected");
      // SET LOCAL: on the embedded server all connections share one session.
      await client.query("BEGIN");
      await client.query("SET LOCAL search_path TO prisma_expected");
      await client.query(sql);
      await client.query("COMMIT");
      migrated = await readCatalog(client, "public");
      expected = await readCatalog(client, "prisma_expected");
    } finally {
      client.release();
    }
  });

  afterAll(async () => {
    await pool?.end();
    await testDb?.cleanup();
  });

  it("has the tables, columns, keys, indexes and enums schema.prisma describes", () => {
    const fromMigrations = withoutExtras(migrated, HAND_WRITTEN);
    expect(expected.tables.length).toBeGreaterThan(20);
    expect(fromMigrations.tables).toEqual(expected.tables);
    expect(fromMigrations.enums).toEqual(expected.enums);
    expect(fromMigrations.columns).toEqual(expected.columns);
    expect(fromMigrations.constraints).toEqual(expected.constraints);
    expect(fromMigrations.indexes).toEqual(expected.indexes);
  });

  it("adds only the listed hand-written objects", () => {
    const fromMigrations = withoutExtras(migrated, HAND_WRITTEN);
    expect(fromMigrations).toEqual(expected);
  });

  it("forces row-level security with both policies on every tenant-owned table", () => {
    for (const table of tenantTables) {
      expect(migrated.rowSecurity).toContain(`${table} forced`);
      expect(migrated.policies).toEqual(
        expect.arrayContaining([`${table} tenant_isolation`, `${table} system_access`]),
      );
    }
  });
});
