import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
 * The studio as `parley start` runs it (production build, real HTTP), attacked where an attacker
 * reaches it: the interface it binds, oversized bodies, spoofed X-Forwarded-* headers, framing and
 * sniffing (headers), and a crash (SIGKILL) that the supervisor must repair while the runtime serves.
 * The first run builds the studio (minutes on 2 cores), hence the generous bounds.
 */
afterAll(removeDataDirs);

interface Demo {
  botId: string;
  ownerEmail: string;
  ownerPassword: string;
}

describe("the studio under parley start", () => {
  let started: Started;
  let dataDir: string;
  let studio: string;
  let runtime: string;
  let dbPort: number;
  let demo: Demo;

  beforeAll(async () => {
    dataDir = freshDataDir();
    const ports = { runtime: await freePort(), db: await freePort(), studio: await freePort() };
    dbPort = ports.db;
    studio = `http://127.0.0.1:${ports.studio}`;
    runtime = `http://127.0.0.1:${ports.runtime}`;
    started = startParley(dataDir, ports, [], { STUDIO_MAX_BODY_BYTES: String(64 * 1024) });
    await until(started, "Parley is running.", 900_000);
    demo = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as Demo;
  }, 900_000);

  afterAll(async () => {
    if (started && started.child.exitCode === null) {
      started.child.kill("SIGTERM");
      await started.exited;
    }
  });

  const signIn = (
    body: string | ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
    init: RequestInit = {},
  ) =>
    fetch(`${studio}/api/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: studio, ...headers },
      body,
      ...init,
    });

  it("listens on loopback only by default", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal);
    expect((await fetch(`${studio}/sign-in`)).status).toBe(200);
    if (!external) return; // no other interface on this machine: nothing more to try
    const port = new URL(studio).port;
    await expect(fetch(`http://${external.address}:${port}/sign-in`)).rejects.toThrow();
  });

  it("sends the security headers on pages, redirects, API routes, static files and 404s", async () => {
    const page = await fetch(`${studio}/sign-in`);
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const targets = ["/sign-in", "/", "/bots", "/api/trpc/auth.session", script as string, "/no-such-page"];
    for (const path of targets) {
      const response = await fetch(`${studio}${path}`, { redirect: "manual" });
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
  });

  it("refuses a body over STUDIO_MAX_BODY_BYTES with 413 before reading it, declared or chunked", async () => {
    const big = JSON.stringify({ email: "a@b.c", password: "x".repeat(200 * 1024) });
    const declared = await signIn(big);
    expect(declared.status).toBe(413);
    const problem = (await declared.json()) as { error: { message: string; data: { code: string } } };
    expect(problem.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(problem.error.message).toContain("STUDIO_MAX_BODY_BYTES");

    // No Content-Length: the body streams in chunks, counted and cut at the limit.
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 64 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const chunked = await signIn(endless, {}, { duplex: "half" } as RequestInit).catch(
      (error: unknown) => error,
    );
    if (chunked instanceof Response) expect(chunked.status).toBe(413);
    // Either way the studio stopped reading long before 64 MB.
    expect(sent).toBeLessThan(64 * 1024 * 1024);

    // A normal body still goes through (wrong password: refused by the procedure, not the limit).
    const small = await signIn(JSON.stringify({ email: demo.ownerEmail, password: "wrong" }));
    expect(small.status).not.toBe(413);
    expect(small.status).toBeLessThan(500);
  });

  it("gives a signed-in user's lone knowledge upload room for a file; everything else keeps the small limit", async () => {
    const signedIn = await signIn(JSON.stringify({ email: demo.ownerEmail, password: demo.ownerPassword }));
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const me = await fetch(`${studio}/api/trpc/auth.me`, { headers: { cookie } });
    const csrfToken = ((await me.json()) as { result: { data: { csrfToken: string } } }).result.data
      .csrfToken;
    const content = `# Shipping\n\n${"We ship worldwide within five days. ".repeat(4_000)}`;
    expect(content.length).toBeGreaterThan(64 * 1024);
    const headers = { cookie, "x-csrf-token": csrfToken, origin: studio, "content-type": "application/json" };
    const upload = await fetch(`${studio}/api/trpc/knowledge.upload`, {
      method: "POST",
      headers,
      body: JSON.stringify({ botId: demo.botId, format: "markdown", content, title: "Shipping" }),
    });
    expect(upload.status).toBe(200);
    // Anonymous, batched with another call, or to another procedure: the general limit.
    const anonymous = await fetch(`${studio}/api/trpc/knowledge.upload`, {
      method: "POST",
      headers: { origin: studio, "content-type": "application/json" },
      body: JSON.stringify({ botId: demo.botId, format: "markdown", content, title: "Shipping" }),
    });
    expect(anonymous.status).toBe(413);
    const batched = await fetch(`${studio}/api/trpc/knowledge.upload,knowledge.upload?batch=1`, {
      method: "POST",
      headers,
      body: JSON.stringify({ 0: { botId: demo.botId, format: "markdown", content }, 1: {} }),
    });
    expect(batched.status).toBe(413);
  });

  it("believes no X-Forwarded-* header from a peer that is not a trusted proxy", async () => {
    // A forged X-Forwarded-Host would make a foreign Origin look same-origin (login CSRF).
    const forged = await signIn(JSON.stringify({ email: demo.ownerEmail, password: demo.ownerPassword }), {
      origin: "http://evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "http",
    });
    expect(forged.status).toBe(403);

    // The audit log records the peer, not a forged X-Forwarded-For.
    const marker = `forwarded-test-${randomUUID()}`;
    const signedIn = await signIn(JSON.stringify({ email: demo.ownerEmail, password: demo.ownerPassword }), {
      "x-forwarded-for": "6.6.6.6",
      "x-real-ip": "6.6.6.7",
      "x-parley-peer-address": "6.6.6.8",
      "user-agent": marker,
    });
    expect(signedIn.status).toBe(200);
    const password = readFileSync(join(dataDir, "db-password"), "utf8").trim();
    const client = new pg.Client({ host: "127.0.0.1", port: dbPort, user: "postgres", password });
    await client.connect();
    try {
      const { rows } = await client.query<{ ip_address: string | null }>(
        "SELECT ip_address FROM audit_log WHERE user_agent = $1",
        [marker],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.ip_address).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    } finally {
      await client.end();
    }
  });

  it("restarts a SIGKILLed studio while the runtime keeps answering", async () => {
    const [studioPid] = reportedPids(started, "studio");
    expect(studioPid).toBeGreaterThan(0);
    process.kill(studioPid as number, "SIGKILL");
    await until(started, "studio exited unexpectedly (signal SIGKILL); restart attempt 1");
    // While the studio is down and coming back, the runtime serves.
    expect((await fetch(`${runtime}/health`)).status).toBe(200);
    await untilAnswering(`${studio}/sign-in`, 180_000);
    expect((await fetch(`${runtime}/health`)).status).toBe(200);
    const pids = reportedPids(started, "studio");
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(studioPid);
    expect(started.child.exitCode).toBeNull();

    started.child.kill("SIGTERM");
    expect(await started.exited).toBe(0);
    const afterStop = started.output().slice(started.output().lastIndexOf("Stopping Parley"));
    expect(afterStop).toContain("Stopped.");
    expect(afterStop).not.toMatch(/exited unexpectedly|started \(pid/);
  });
});
