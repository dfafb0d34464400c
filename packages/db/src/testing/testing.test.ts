import pg from "pg";
import { describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase } from "./index";
import { adminUrl } from "./real-postgres";

const kinds = await availableTestDatabaseKinds();

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.each(kinds)("createTestDatabase on %s", (kind) => {
  it("gives a fresh migrated database and removes it on cleanup", async () => {
    const first = await createTestDatabase({ kind });
    const second = await createTestDatabase({ kind });
    try {
      expect(first.kind).toBe(kind);
      expect(first.url).not.toBe(second.url);
      expect((await first.db.migrationStatus()).upToDate).toBe(true);
      await first.db.system.tenant.create({ data: { name: "only in first", slug: "first" } });
      expect(await second.db.system.tenant.count()).toBe(0);
    } finally {
      await second.cleanup();
    }
    await first.cleanup();
    await first.cleanup();
    expect(await canConnect(first.url)).toBe(false);
    if (kind === "postgres") {
      const name = new URL(first.url).pathname.slice(1);
      const admin = new pg.Client(adminUrl());
      await admin.connect();
      try {
        const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        expect(rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    }
  });

  it("can leave the database empty", async () => {
    const blank = await createTestDatabase({ kind, migrate: false });
    try {
      expect((await blank.db.migrationStatus()).applied).toEqual([]);
    } finally {
      await blank.cleanup();
    }
  });
});
