import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  servePglite,
} from "../embedded/embedded-postgres";
import { loadMigrationFiles } from "../migrations/migration-files";
import { applyMigrations } from "../migrations/migration-runner";

/**
 * Fresh embedded databases for tests, fast (internal).
 *
 * initdb inside PGlite takes several seconds; loading a dumped data directory takes a fraction of that.
 * The first test database of a machine builds the template (blank, or migrated) in memory and dumps it to
 * a tarball in the OS temp dir, named after the PGlite build and the migrations' checksums; later ones, in
 * any process, load that tarball. A changed migration changes the name, so a stale template is never used.
 */
export async function startEmbeddedFromTemplate(
  kind: TemplateKind,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  return servePglite(await createPgliteFromTemplate(kind), options);
}

/** A fresh in-memory PGlite loaded from the template, not served (tests of the server's parts). */
export async function createPgliteFromTemplate(kind: TemplateKind): Promise<PGlite> {
  return PGlite.create({ loadDataDir: await loadTemplate(kind) });
}

/**
 * Fills a new data directory from the blank template, so a test needs no initdb of its own (internal).
 * The result is exactly what startEmbeddedPostgres would create in an empty directory.
 */
export async function seedDataDirFromTemplate(dataDir: string): Promise<void> {
  const db = await PGlite.create({ dataDir, loadDataDir: await loadTemplate("blank") });
  await db.close();
}

/** A template: right after initdb, or with the repository's migrations applied. */
export type TemplateKind = "blank" | "migrated";

const cache = new Map<TemplateKind, Promise<Blob>>();

function loadTemplate(kind: TemplateKind): Promise<Blob> {
  let template = cache.get(kind);
  if (!template) {
    template = (async () => {
      const file = templatePath(kind);
      if (existsSync(file)) return new Blob([readFileSync(file)]);
      const blob = await buildTemplate(kind);
      // Write then rename, so a concurrent process never reads half a file.
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
      renameSync(partial, file);
      return blob;
    })();
    cache.set(kind, template);
  }
  return template;
}

async function buildTemplate(kind: TemplateKind): Promise<Blob> {
  const db = await PGlite.create();
  const server = await servePglite(db, {});
  try {
    if (kind === "migrated") {
      const pool = new pg.Pool({ connectionString: server.url, max: 1 });
      try {
        await applyMigrations(pool);
      } finally {
        await pool.end();
      }
    }
    // No client is connected any more, so the data directory is quiescent.
    return await db.dumpDataDir("none");
  } finally {
    await server.stop();
  }
}

function templatePath(kind: TemplateKind): string {
  // PGlite does not export its package.json; read it next to its entry point.
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const hash = createHash("sha256").update(readFileSync(join(dirname(entry), "..", "package.json")));
  if (kind === "migrated") {
    for (const migration of loadMigrationFiles()) hash.update(`${migration.name}:${migration.checksum}\n`);
  }
  return join(tmpdir(), `parley-db-${kind}-${hash.digest("hex").slice(0, 16)}.tar`);
}
