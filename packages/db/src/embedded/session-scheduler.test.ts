import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPgliteFromTemplate } from "../testing/embedded-template";
import { MAX_PRIORITY_IN_A_ROW, SessionScheduler } from "./session-scheduler";

/** A simple-protocol Query message, as a client's socket would carry it. */
function query(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}

const insert = (who: string) => query(`INSERT INTO served (who) VALUES ('${who}')`);

/**
 * The order in which the scheduler hands PGlite's single session to connections, read back from the
 * rows each message inserted (a serial id numbers them in execution order). Messages are queued
 * synchronously, as several sockets' data would arrive while the session is busy.
 */
describe("session scheduler", () => {
  let db: PGlite;
  let scheduler: SessionScheduler;

  beforeAll(async () => {
    db = await createPgliteFromTemplate("blank");
    await db.exec("CREATE TABLE served (id serial PRIMARY KEY, who text NOT NULL)");
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.exec("TRUNCATE served");
    scheduler = new SessionScheduler(db);
  });

  const send = (connectionId: number, message: Uint8Array) =>
    scheduler.enqueue(connectionId, message, () => {});
  const servedOrder = async () =>
    (await db.query<{ who: string }>("SELECT who FROM served ORDER BY id")).rows.map((row) => row.who);

  it("serves a prioritised connection's batch before batches queued earlier, never inside a transaction", async () => {
    const sent = [
      // Connection 1 opens a transaction: it owns the session until it commits.
      send(1, query("BEGIN; INSERT INTO served (who) VALUES ('owner')")),
      send(2, insert("turn 2")),
      send(3, insert("turn 3")),
    ];
    scheduler.prioritize(4);
    sent.push(send(4, insert("ingest")));
    // Queued after the ingest, yet served first: the transaction it ends holds the session.
    sent.push(send(1, query("INSERT INTO served (who) VALUES ('owner commits'); COMMIT")));
    await Promise.all(sent);
    expect(await servedOrder()).toEqual(["owner", "owner commits", "ingest", "turn 2", "turn 3"]);
  });

  it("serves everyone in arrival order when no connection is prioritised", async () => {
    const sent = [
      send(1, query("BEGIN; INSERT INTO served (who) VALUES ('owner')")),
      send(2, insert("turn 2")),
      send(4, insert("ingest")),
      send(1, query("COMMIT")),
    ];
    await Promise.all(sent);
    expect(await servedOrder()).toEqual(["owner", "turn 2", "ingest"]);
  });

  it(`jumps ahead of an older message at most ${MAX_PRIORITY_IN_A_ROW} times in a row`, async () => {
    const flood = MAX_PRIORITY_IN_A_ROW + 2;
    const sent = [
      send(1, query("BEGIN; INSERT INTO served (who) VALUES ('owner')")),
      send(2, insert("turn")),
    ];
    scheduler.prioritize(3);
    for (let i = 1; i <= flood; i++) sent.push(send(3, insert(`ingest ${i}`)));
    sent.push(send(1, query("COMMIT")));
    await Promise.all(sent);
    const ingests = Array.from({ length: flood }, (_, i) => `ingest ${i + 1}`);
    expect(await servedOrder()).toEqual([
      "owner",
      ...ingests.slice(0, MAX_PRIORITY_IN_A_ROW),
      "turn",
      ...ingests.slice(MAX_PRIORITY_IN_A_ROW),
    ]);
  });

  it("forgets the priority of a connection that went away", async () => {
    scheduler.prioritize(4);
    scheduler.clearQueueForHandler(4);
    const sent = [
      send(1, query("BEGIN; INSERT INTO served (who) VALUES ('owner')")),
      send(2, insert("turn 2")),
      send(4, insert("connection 4")),
      send(1, query("COMMIT")),
    ];
    await Promise.all(sent);
    expect(await servedOrder()).toEqual(["owner", "turn 2", "connection 4"]);
  });
});
