import { connect } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedFromTemplate } from "../testing/embedded-template";
import type { EmbeddedPostgres } from "./embedded-postgres";

/**
 * The embedded server on 127.0.0.1 is reachable by every local account: it must refuse anyone who
 * cannot prove its password (security review, finding 11), over the real wire protocol.
 */
describe("embedded server password (SCRAM-SHA-256)", () => {
  let server: EmbeddedPostgres;
  const withPassword = (password: string | undefined) => {
    const url = new URL(server.url);
    url.password = password ?? "";
    return url.toString();
  };

  beforeAll(async () => {
    server = await startEmbeddedFromTemplate("blank", {});
  });
  afterAll(() => server?.stop());

  it("lets a client with the password in, whatever user name it gives", async () => {
    expect(new URL(server.url).password.length).toBeGreaterThanOrEqual(16);
    const client = new pg.Client(server.url);
    await client.connect();
    const { rows } = await client.query("SELECT current_setting('is_superuser') AS su");
    expect(rows[0].su).toBe("on");
    await client.end();
  });

  it("refuses a wrong password with SQLSTATE 28P01", async () => {
    const client = new pg.Client(withPassword("not-the-password-at-all"));
    client.on("error", () => {});
    const failure = await client.connect().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "28P01" });
    expect(String(failure)).toMatch(/password authentication failed/);
  });

  it("asks a client without a password for one instead of letting it in", async () => {
    const client = new pg.Client(withPassword(undefined));
    client.on("error", () => {});
    await expect(client.connect()).rejects.toThrow(/password/i);
  });

  it("never runs a query sent without authenticating (raw protocol)", async () => {
    const received = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(server.port, server.host);
      const chunks: Buffer[] = [];
      socket.on("data", (chunk) => chunks.push(chunk));
      socket.on("error", reject);
      socket.on("close", () => resolve(Buffer.concat(chunks)));
      socket.on("connect", () => {
        const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
        const startup = Buffer.alloc(8);
        startup.writeInt32BE(8 + params.length, 0);
        startup.writeInt32BE(196608, 4);
        const sql = Buffer.from("SELECT 'leaked' AS secret\0");
        const query = Buffer.alloc(5);
        query[0] = 0x51; // 'Q'
        query.writeInt32BE(4 + sql.length, 1);
        socket.write(Buffer.concat([startup, params, query, sql]));
      });
    });
    // The server asked for SASL (R, code 10), then refused the query in place of a password and closed.
    expect(received[0]).toBe(0x52);
    expect(received.readInt32BE(5)).toBe(10);
    const rest = received.subarray(1 + received.readInt32BE(1));
    expect(rest[0]).toBe(0x45); // ErrorResponse, and nothing after it
    expect(rest.length).toBe(1 + rest.readInt32BE(1));
    expect(rest.toString()).toContain("08P01");
    expect(received.toString()).not.toContain("leaked");
  });
});
