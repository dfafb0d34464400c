import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedFromTemplate } from "../testing/embedded-template";
import type { EmbeddedPostgres } from "./embedded-postgres";
import { priorityApplicationName } from "./session-priority";

/**
 * The embedded server shares PGlite's single session between client connections. These tests drive it the
 * way a pg pool does under load: concurrent extended-protocol queries (which pglite-socket 0.2.17's own
 * queue interleaves, electric-sql/pglite#1046), transactions, vanished clients, too many clients.
 */
describe("embedded socket server", () => {
  let server: EmbeddedPostgres;

  beforeAll(async () => {
    server = await startEmbeddedFromTemplate("blank", { maxConnections: 10, sessionHoldTimeoutMs: 500 });
    const client = new pg.Client(server.url);
    await client.connect();
    await client.query("CREATE TABLE items (id serial PRIMARY KEY, owner text NOT NULL)");
    await client.end();
  });
  afterAll(() => server?.stop());

  it("keeps concurrent parameterised queries and transactions of 8 connections apart", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 8 });
    const large = "x".repeat(150_000); // split over several TCP packets
    const problems: string[] = [];
    const work = async (worker: number) => {
      for (let i = 0; i < 15; i++) {
        try {
          if (worker % 3 === 0) {
            const { rows } = await pool.query("SELECT length($1::text) AS n, $2::int AS i", [large + i, i]);
            if (rows[0].n !== large.length + String(i).length || rows[0].i !== i)
              problems.push(`wrong row ${i}`);
          } else if (worker % 3 === 1) {
            const { rows } = await pool.query("SELECT $1::text || '!' AS s, 5 AS k", [`w${worker}-${i}`]);
            if (rows[0].s !== `w${worker}-${i}!`) problems.push(`wrong text ${rows[0].s}`);
          } else {
            const client = await pool.connect();
            try {
              await client.query("BEGIN");
              await client.query("INSERT INTO items (owner) VALUES ($1)", [`w${worker}-${i}`]);
              await new Promise((resolve) => setTimeout(resolve, 2));
              const { rows } = await client.query("SELECT count(*)::int AS n FROM items WHERE owner = $1", [
                `w${worker}-${i}`,
              ]);
              if (rows[0].n !== 1) problems.push(`transaction saw ${rows[0].n} rows`);
              await client.query("COMMIT");
            } finally {
              client.release();
            }
          }
        } catch (error) {
          problems.push(String(error));
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: 8 }, (_, worker) => work(worker)));
    } finally {
      await pool.end();
    }
    expect(problems).toEqual([]);
  });

  it("rolls back the open transaction of a client that disconnects, and serves the others", async () => {
    const leaver = new pg.Client(server.url);
    leaver.on("error", () => {});
    await leaver.connect();
    await leaver.query("BEGIN");
    await leaver.query("INSERT INTO items (owner) VALUES ('leaver')");
    // Drop the TCP connection without COMMIT or Terminate, as a killed process would.
    (leaver as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const other = new pg.Client(server.url);
    await other.connect();
    try {
      const { rows } = await other.query("SELECT count(*)::int AS n FROM items WHERE owner = 'leaver'");
      expect(rows[0].n).toBe(0);
    } finally {
      await other.end();
    }
  });

  it("disconnects a client that idles inside a transaction while others wait", async () => {
    const idler = new pg.Client(server.url);
    const idlerErrors: unknown[] = [];
    idler.on("error", (error) => idlerErrors.push(error));
    await idler.connect();
    await idler.query("BEGIN");
    await idler.query("INSERT INTO items (owner) VALUES ('idler')");
    const waiter = new pg.Client(server.url);
    const started = Date.now();
    await waiter.connect();
    try {
      const { rows } = await waiter.query("SELECT count(*)::int AS n FROM items WHERE owner = 'idler'");
      expect(rows[0].n).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      await expect(idler.query("COMMIT")).rejects.toThrow();
    } finally {
      await waiter.end();
      await idler.end().catch(() => {});
    }
  });

  it("serves a connection that asks for priority before connections that queued earlier", async () => {
    const owner = new pg.Client(server.url);
    const turns = [new pg.Client(server.url), new pg.Client(server.url)];
    const ingest = new pg.Client({
      connectionString: server.url,
      application_name: priorityApplicationName("test-ingest"),
    });
    const clients = [owner, ...turns, ingest];
    await Promise.all(clients.map((client) => client.connect()));
    try {
      await owner.query("CREATE TABLE served (id serial PRIMARY KEY, who text NOT NULL)");
      // The owner's open transaction holds the session: everything else queues behind it.
      await owner.query("BEGIN");
      await owner.query("INSERT INTO served (who) VALUES ('owner')");
      const waiting = turns.map((client, i) => client.query(`INSERT INTO served (who) VALUES ('turn ${i}')`));
      await expect.poll(() => server.queuedMessages()).toBe(2);
      waiting.push(ingest.query("INSERT INTO served (who) VALUES ('ingest')"));
      await expect.poll(() => server.queuedMessages()).toBe(3);
      await owner.query("COMMIT");
      await Promise.all(waiting);
      const { rows } = await owner.query("SELECT who FROM served ORDER BY id");
      expect(rows.map((row) => row.who)).toEqual(["owner", "ingest", "turn 0", "turn 1"]);
    } finally {
      await owner.query("DROP TABLE IF EXISTS served").catch(() => {});
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it("reads the sockets between queued batches: a prioritised statement sent meanwhile goes before the rest", async () => {
    const owner = new pg.Client(server.url);
    const turns = Array.from({ length: 4 }, () => new pg.Client(server.url));
    const ingest = new pg.Client({
      connectionString: server.url,
      application_name: priorityApplicationName("test-ingest"),
    });
    const clients = [owner, ...turns, ingest];
    await Promise.all(clients.map((client) => client.connect()));
    try {
      await owner.query("CREATE TABLE served (id serial PRIMARY KEY, who text NOT NULL)");
      await owner.query("BEGIN");
      const waiting = turns.map((client, i) => client.query(`INSERT INTO served (who) VALUES ('turn ${i}')`));
      await expect.poll(() => server.queuedMessages()).toBe(turns.length);
      // The commit frees the session for the queued turns; the ingest statement is sent only once the
      // commit's answer has arrived, i.e. while the turns are being served.
      await owner.query("COMMIT");
      waiting.push(ingest.query("INSERT INTO served (who) VALUES ('ingest')"));
      await Promise.all(waiting);
      const { rows } = await owner.query("SELECT who FROM served ORDER BY id");
      const served = rows.map((row) => row.who);
      expect(served).toHaveLength(turns.length + 1);
      expect(served.indexOf("ingest")).toBeLessThan(turns.length);
    } finally {
      await owner.query("DROP TABLE IF EXISTS served").catch(() => {});
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it("answers a connection over the limit with a proper 'too many connections' error", async () => {
    // Earlier tests' connections close asynchronously.
    await expect.poll(() => server.connectionCount(), { timeout: 5_000 }).toBe(0);
    const clients = Array.from({ length: 10 }, () => new pg.Client(server.url));
    for (const client of clients) client.on("error", () => {});
    await Promise.all(clients.map((client) => client.connect()));
    const extra = new pg.Client(server.url);
    extra.on("error", () => {});
    try {
      const failure = await extra.connect().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: "53300" });
      expect(String(failure)).toMatch(/too many connections/);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    expect(server.connectionCount()).toBeLessThanOrEqual(1);
  });
});
