import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  freePort,
  freshDataDir,
  removeDataDirs,
  reportedPids,
  type Started,
  startParley,
  until,
  untilAnswering,
} from "../test-support/parley-process";

/**
 * Crash isolation of `parley start` with real processes: a SIGKILLed runtime is restarted by the
 * supervisor while the parent (hosting the embedded database) stays up, and no message the runtime
 * acknowledged before the kill is lost. The embedded database refuses clients without its password.
 */
afterAll(removeDataDirs);

interface Demo {
  botId: string;
  apiKey: string;
}

const json = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

async function userTexts(runtime: string, demo: Demo, id: string): Promise<(string | undefined)[]> {
  const transcript = await fetch(`${runtime}/api/v1/conversations/${id}`, { headers: json(demo.apiKey) });
  expect(transcript.status).toBe(200);
  const body = (await transcript.json()) as { entries: { author: string; message: { text?: string } }[] };
  return body.entries.filter((entry) => entry.author === "user").map((entry) => entry.message.text);
}

async function stopCleanly(started: Started): Promise<void> {
  started.child.kill("SIGTERM");
  expect(await started.exited).toBe(0);
  const afterStop = started.output().slice(started.output().lastIndexOf("Stopping Parley"));
  expect(afterStop).toContain("Stopped.");
  // No child is restarted during a shutdown.
  expect(afterStop).not.toMatch(/exited unexpectedly|started \(pid/);
}

describe("parley start supervises its children", () => {
  it("restarts a SIGKILLed runtime, keeps the database host up and loses no acknowledged message", {
    timeout: 300_000,
  }, async () => {
    const dataDir = freshDataDir();
    const ports = { runtime: await freePort(), db: await freePort() };
    const started = startParley(dataDir, ports);
    try {
      await until(started, "Parley is running.");
      const demo = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as Demo;
      const runtime = `http://127.0.0.1:${ports.runtime}`;
      const [firstPid] = reportedPids(started, "runtime");
      expect(firstPid).toBeGreaterThan(0);

      const conversations = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const response = await fetch(`${runtime}/api/v1/bots/${demo.botId}/conversations`, {
            method: "POST",
            headers: json(demo.apiKey),
            body: "{}",
          });
          expect(response.status).toBe(201);
          return ((await response.json()) as { conversationId: string }).conversationId;
        }),
      );
      // A burst of turns, cut by SIGKILL of the runtime once some were acknowledged.
      const acknowledged: { id: string; text: string }[] = [];
      let killed = false;
      const sends = conversations.map(async (id, index) => {
        for (let round = 0; round < 4 && !killed; round += 1) {
          const text = `before-kill ${index}-${round}`;
          try {
            const response = await fetch(`${runtime}/api/v1/conversations/${id}/messages`, {
              method: "POST",
              headers: json(demo.apiKey),
              body: JSON.stringify({ text, clientMessageId: `k-${index}-${round}` }),
            });
            if (response.status === 200) acknowledged.push({ id, text });
          } catch {
            // the connection died with the runtime: not acknowledged
          }
          if (acknowledged.length >= 4 && !killed) {
            killed = true;
            process.kill(firstPid as number, "SIGKILL");
          }
        }
      });
      await Promise.all(sends);
      expect(killed).toBe(true);
      expect(acknowledged.length).toBeGreaterThanOrEqual(4);

      await until(started, "runtime exited unexpectedly (signal SIGKILL); restart attempt 1 in 0.5 s");
      // The runtime answers again (the bound is a failure bound, not a timing assertion).
      const health = await untilAnswering(`${runtime}/health`);
      expect(health.status).toBe(200);
      await until(started, "runtime is serving again (restart 1).");
      const pids = reportedPids(started, "runtime");
      expect(pids).toHaveLength(2);
      expect(pids[1]).not.toBe(firstPid);
      // The parent, which hosts the embedded database, never stopped.
      expect(started.child.exitCode).toBeNull();

      for (const { id, text } of acknowledged) expect(await userTexts(runtime, demo, id)).toContain(text);
      const after = await fetch(`${runtime}/api/v1/conversations/${conversations[0]}/messages`, {
        method: "POST",
        headers: json(demo.apiKey),
        body: JSON.stringify({ text: "after restart" }),
      });
      expect(after.status).toBe(200);
      expect(await userTexts(runtime, demo, conversations[0] as string)).toContain("after restart");

      // The embedded database: its password is in the data directory (0600); without it, no entry.
      const passwordFile = join(dataDir, "db-password");
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      const password = readFileSync(passwordFile, "utf8").trim();
      const connect = async (secret: string | undefined) => {
        const client = new pg.Client({
          host: "127.0.0.1",
          port: ports.db,
          user: "postgres",
          database: "postgres",
          ...(secret === undefined ? {} : { password: secret }),
        });
        client.on("error", () => {});
        try {
          await client.connect();
          return (await client.query("SELECT 1 AS one")).rows[0]?.one as number;
        } finally {
          await client.end().catch(() => {});
        }
      };
      await expect(connect("wrong-password-0123456789")).rejects.toMatchObject({ code: "28P01" });
      await expect(connect(undefined)).rejects.toThrow(/password/i);
      expect(await connect(password)).toBe(1);

      await stopCleanly(started);
    } finally {
      if (started.child.exitCode === null) started.child.kill("SIGKILL");
    }
  });
});
