import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddedPostgres } from "../embedded/embedded-postgres";
import { DatabaseUnreachableError } from "../errors";
import { startEmbeddedFromTemplate } from "../testing/embedded-template";
import { migrateAt } from "./migrate-at";

describe("migrateAt (migrations without a Prisma client)", () => {
  let server: EmbeddedPostgres;
  const dir = mkdtempSync(join(tmpdir(), "parley-migrate-at-"));

  beforeAll(async () => {
    server = await startEmbeddedFromTemplate("blank");
    mkdirSync(join(dir, "20260101000000_first"));
    writeFileSync(join(dir, "20260101000000_first", "migration.sql"), "CREATE TABLE first (id int);");
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies pending migrations once, over its own short-lived connection", async () => {
    expect(await migrateAt(server.url, { migrationsDir: dir })).toEqual(["20260101000000_first"]);
    expect(await migrateAt(server.url, { migrationsDir: dir })).toEqual([]);
    // The server sees the client's close a moment later.
    await expect.poll(() => server.connectionCount(), { timeout: 5_000 }).toBe(0);
  });

  it("reports an unreachable database as one DatabaseUnreachableError", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    await expect(
      migrateAt(`postgresql://postgres:secret@127.0.0.1:${port}/postgres`, { migrationsDir: dir }),
    ).rejects.toBeInstanceOf(DatabaseUnreachableError);
    await expect(
      migrateAt(`postgresql://postgres:secret@127.0.0.1:${port}/postgres`, { migrationsDir: dir }),
    ).rejects.toThrow(/connection refused/);
  });
});
