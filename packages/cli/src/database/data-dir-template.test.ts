import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateAt, startEmbeddedPostgres } from "@parley/db/embedded";
import { afterAll, describe, expect, it } from "vitest";
import { ensureTemplate, fillFromTemplate, templateDir } from "./data-dir-template";

const root = mkdtempSync(join(tmpdir(), "parley-template-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("embedded data directories from the template", () => {
  it("fills a new data directory with a migrated database that opens without initdb", {
    timeout: 180_000,
  }, async () => {
    expect(await ensureTemplate()).toBe(templateDir());
    const pgdata = join(root, "fresh", "pgdata");
    expect(await fillFromTemplate(pgdata)).toBe("copied");
    expect(readdirSync(join(root, "fresh"))).toEqual(["pgdata"]);

    const server = await startEmbeddedPostgres({ dataDir: pgdata, port: 0 });
    try {
      // Already migrated: every migration is recorded as applied, so none is pending.
      expect(await migrateAt(server.url)).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("leaves a directory that already holds files alone", async () => {
    const pgdata = join(root, "existing", "pgdata");
    mkdirSync(pgdata, { recursive: true });
    writeFileSync(join(pgdata, "PG_VERSION"), "18\n");
    expect(await fillFromTemplate(pgdata)).toBe("unavailable");
    expect(readdirSync(pgdata)).toEqual(["PG_VERSION"]);
  });

  it("names the template after the PGlite build and the migrations", () => {
    expect(templateDir()).toMatch(/node_modules\/\.cache\/parley\/pgdata-template-[0-9a-f]{16}$/);
    expect(existsSync(join(templateDir(), "PG_VERSION"))).toBe(true);
  });
});
