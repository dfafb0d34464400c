import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirCorruptError, DataDirForeignError, DataDirInUseError, PortInUseError } from "../errors";
import { seedDataDirFromTemplate } from "../testing/embedded-template";
import { PGLITE_POSTGRES_MAJOR } from "./data-dir";
import { startEmbeddedPostgres } from "./embedded-postgres";

const here = dirname(fileURLToPath(import.meta.url));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("startEmbeddedPostgres with a data directory", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-embedded-"));
  const dataDir = join(root, "pgdata");

  beforeAll(async () => {
    // initdb takes seconds: start from the blank template, as if a first start had just created it.
    await seedDataDirFromTemplate(dataDir);
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      await query(
        server.url,
        "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'kept')",
      );
    } finally {
      await server.stop();
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("keeps committed data across a clean stop and restart", async () => {
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(server.url).toMatch(/^postgresql:\/\/postgres:[A-Za-z0-9_-]{16,}@127\.0\.0\.1:\d+\/postgres$/);
      const rows = await query<{ body: string; major: string }>(
        server.url,
        "SELECT body, current_setting('server_version_num')::int / 10000 || '' AS major FROM notes",
      );
      expect(rows).toEqual([{ body: "kept", major: PGLITE_POSTGRES_MAJOR }]);
    } finally {
      await server.stop();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("starts Postgres with the given settings (small shared buffers keep PGlite's memory down)", async () => {
    const server = await startEmbeddedPostgres({ dataDir, settings: { shared_buffers: "16MB" } });
    try {
      const rows = await query<{ shared_buffers: string }>(server.url, "SHOW shared_buffers");
      expect(rows).toEqual([{ shared_buffers: "16MB" }]);
    } finally {
      await server.stop();
    }
  });

  it("refuses a second server on a data directory that is in use", async () => {
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
      const failure = await startEmbeddedPostgres({ dataDir }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DataDirInUseError);
      expect((failure as Error).message).toMatch(/already in use by process \d+/);
    } finally {
      await server.stop();
    }
  });

  it("reports a damaged database as corrupt, naming the directory", async () => {
    const damaged = join(root, "damaged");
    cpSync(dataDir, damaged, { recursive: true });
    writeFileSync(join(damaged, "global", "pg_control"), Buffer.alloc(8192, 0x5a));
    const failure = await startEmbeddedPostgres({ dataDir: damaged }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DataDirCorruptError);
    expect((failure as Error).message).toContain(damaged);
    expect(existsSync(`${damaged}.lock`)).toBe(false);
  });

  it("loses no acknowledged commit when the serving process is killed with SIGKILL", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(here, "fixtures", "crash-writer.ts"), dataDir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let lastAck = 0;
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        for (const match of String(chunk).matchAll(/ack (\d+)/g)) lastAck = Number(match[1]);
        if (lastAck >= 40) resolve();
      });
      child.once("exit", (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    // The lock left behind by the dead process is taken over; Postgres recovers from its WAL.
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const [stats] = await query<{ count: number; max: number }>(
        server.url,
        "SELECT count(*)::int AS count, max(n) AS max FROM acks",
      );
      expect(stats?.max).toBeGreaterThanOrEqual(lastAck);
      expect(stats?.count).toBe(stats?.max);
    } finally {
      await server.stop();
    }
  });
});

describe("startEmbeddedPostgres refuses unusable directories and ports", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-embedded-bad-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("refuses a directory holding other files", async () => {
    const foreign = join(root, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "notes.txt"), "not a database");
    const failure = await startEmbeddedPostgres({ dataDir: foreign }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DataDirForeignError);
    expect((failure as Error).message).toMatch(/no PG_VERSION file; found notes\.txt/);
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("not a database");
  });

  it("refuses a file where the directory should be", async () => {
    const file = join(root, "file");
    writeFileSync(file, "x");
    await expect(startEmbeddedPostgres({ dataDir: file })).rejects.toBeInstanceOf(DataDirForeignError);
  });

  it("refuses a data directory of another Postgres major version", async () => {
    const old = join(root, "old");
    mkdirSync(old);
    writeFileSync(join(old, "PG_VERSION"), "12\n");
    const failure = await startEmbeddedPostgres({ dataDir: old }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DataDirCorruptError);
    expect((failure as Error).message).toContain(
      `created by PostgreSQL 12, the embedded server is PostgreSQL ${PGLITE_POSTGRES_MAJOR}`,
    );
  });

  it("reports a port in use and releases the data directory again", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = join(root, "port-test");
    try {
      const failure = await startEmbeddedPostgres({ dataDir, port }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PortInUseError);
      expect((failure as Error).message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("validates its options", async () => {
    await expect(startEmbeddedPostgres({ port: 70_000 })).rejects.toThrow(/port/);
  });
});
