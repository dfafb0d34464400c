import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, freshDataDir, removeDataDirs, startParley, until } from "../test-support/parley-process";

/**
 * `parley start` as a user runs it: a real child process in embedded mode (studio left out: its build
 * is covered by the e2e suite), talked to over HTTP, stopped with SIGTERM, started again.
 */
afterAll(removeDataDirs);

describe("parley start (embedded mode)", () => {
  it("seeds a working demo, stops cleanly on SIGTERM and keeps its data across a restart", {
    timeout: 300_000,
  }, async () => {
    const dataDir = freshDataDir();
    const ports = { runtime: await freePort(), db: await freePort() };
    const first = startParley(dataDir, ports);
    await until(first, "Parley is running.");
    const demo = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8"));
    expect(Object.keys(demo).sort()).toEqual(
      [
        "apiKey",
        "botId",
        "ownerEmail",
        "ownerPassword",
        "publishableKey",
        "runtimeUrl",
        "studioUrl",
        "tenantId",
      ].sort(),
    );
    expect(first.output()).toContain(demo.apiKey);

    const runtime = `http://127.0.0.1:${ports.runtime}`;
    const created = await fetch(`${runtime}/api/v1/bots/${demo.botId}/conversations`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.apiKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(created.status).toBe(201);
    const { conversationId } = (await created.json()) as { conversationId: string };
    const answered = await fetch(`${runtime}/api/v1/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "Ada" }),
    });
    expect(answered.status).toBe(200);
    // The runtime runs from its bundle: lazily loaded parts (the widget's server side) are there too.
    const widget = await fetch(`${runtime}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toContain("javascript");

    // A burst of turns on fresh conversations, cut by SIGTERM: every turn the runtime acknowledged
    // (200) must be in the transcript after a restart.
    const auth = { authorization: `Bearer ${demo.apiKey}`, "content-type": "application/json" };
    const burst = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const response = await fetch(`${runtime}/api/v1/bots/${demo.botId}/conversations`, {
          method: "POST",
          headers: auth,
          body: "{}",
        });
        return ((await response.json()) as { conversationId: string }).conversationId;
      }),
    );
    const acknowledged: { conversationId: string; text: string }[] = [];
    const sends = burst.flatMap((id, index) =>
      Array.from({ length: 3 }, async (_, round) => {
        await new Promise((resolve) => setTimeout(resolve, round * 40));
        const text = `burst ${index}-${round}`;
        try {
          const response = await fetch(`${runtime}/api/v1/conversations/${id}/messages`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ text, clientMessageId: `m-${index}-${round}` }),
          });
          if (response.status === 200) acknowledged.push({ conversationId: id, text });
        } catch {
          // connection closed by the shutdown: not acknowledged
        }
      }),
    );
    setTimeout(() => first.child.kill("SIGTERM"), 60);
    await Promise.all(sends);
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("Stopped.");

    const second = startParley(dataDir, ports);
    await until(second, "Parley is running.");
    const again = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8"));
    expect(again.tenantId).toBe(demo.tenantId);
    const userTexts = async (id: string) => {
      const transcript = await fetch(`${runtime}/api/v1/conversations/${id}`, { headers: auth });
      expect(transcript.status).toBe(200);
      const body = (await transcript.json()) as { entries: { author: string; message: { text?: string } }[] };
      return body.entries.filter((entry) => entry.author === "user").map((entry) => entry.message.text);
    };
    expect(await userTexts(conversationId)).toContain("Ada");
    for (const { conversationId: id, text } of acknowledged) expect(await userTexts(id)).toContain(text);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("refuses a port that is in use with one clear message and exit 1", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const started = startParley(freshDataDir(), { runtime: port, db: await freePort() });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(`port ${port} on 127.0.0.1 (runtime) is already in use`);
      expect(started.output()).toContain("RUNTIME_PORT");
      expect(started.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it("refuses an embedded database port that is in use, naming the variable", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const started = startParley(freshDataDir(), { runtime: await freePort(), db: port });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(`port ${port} on 127.0.0.1 (embedded database) is already in use`);
      expect(started.output()).toContain("PARLEY_EMBEDDED_DB_PORT");
      expect(started.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it("stops the runtime when the parent dies without stopping it (no orphan keeps the port)", {
    timeout: 300_000,
  }, async () => {
    const ports = { runtime: await freePort(), db: await freePort() };
    const started = startParley(freshDataDir(), ports);
    await until(started, "Parley is running.");
    const ready = `http://127.0.0.1:${ports.runtime}/ready`;
    expect((await fetch(ready)).status).toBe(200);
    started.child.kill("SIGKILL");
    await started.exited;
    const deadline = Date.now() + 30_000;
    let answering = true;
    while (answering && Date.now() < deadline) {
      answering = await fetch(ready, { signal: AbortSignal.timeout(1_000) }).then(
        () => true,
        () => false,
      );
      if (answering) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(answering).toBe(false);
  });

  it("refuses a corrupt data directory with one clear message and exit 1", async () => {
    const dataDir = freshDataDir();
    mkdirSync(join(dataDir, "pgdata"), { recursive: true });
    writeFileSync(join(dataDir, "pgdata", "PG_VERSION"), "garbage");
    writeFileSync(join(dataDir, "pgdata", "postgresql.conf"), "\u0000\u0001 not a config");
    const started = startParley(dataDir, { runtime: await freePort(), db: await freePort() });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/parley start: .*pgdata/);
    expect(started.output()).not.toMatch(/\n\s+at /);
  });
});
