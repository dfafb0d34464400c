import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAddress } from "./address-policy";
import { ALLOWED_HOSTS_ENV, allowedHostsFromEnv } from "./destination-policy";
import { createGuardedHttpClient, OutboundHttpError } from "./guarded-http-client";

let server: Server;
let port: number;
let base: string;
const hosts: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hosts.push(request.headers.host);
    if (request.url === "/sse") {
      // Two events 300 ms apart: a buffering client would see both at once.
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: first\n\n");
      setTimeout(() => response.end("data: second\n\n"), 300);
    } else if (request.url === "/endless") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => response.write("data: tick\n\n"), 20);
      response.on("close", () => clearInterval(timer));
    } else if (request.url === "/silent") {
      // Headers never come.
    } else if (request.url === "/to-metadata") {
      response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    } else if (request.url === "/to-echo") {
      response.writeHead(307, { location: "/echo" }).end();
    } else {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => response.end(`echo ${request.method} ${body}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function refusal(promise: Promise<unknown>): Promise<OutboundHttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundHttpError);
    return error as OutboundHttpError;
  }
  throw new Error("expected the request to be refused");
}

describe("guarded fetch", () => {
  it("refuses loopback, private and metadata destinations unless allowed, with the reason", async () => {
    const strict = createGuardedHttpClient({ allowedHosts: [] });
    const loopback = await refusal(strict.fetch(`${base}/echo`));
    expect(loopback.code).toBe("BLOCKED_DESTINATION");
    expect(loopback.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    const relaxed = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });
    const metadata = await refusal(relaxed.fetch("http://169.254.169.254/latest/meta-data/"));
    expect(metadata.code).toBe("BLOCKED_DESTINATION");
    expect((await refusal(relaxed.fetch("http://[fd00::1]:8000/v1"))).code).toBe("BLOCKED_DESTINATION");
    expect((await refusal(relaxed.fetch("file:///etc/passwd"))).code).toBe("INVALID_URL");

    const response = await relaxed.fetch(`${base}/echo`, { method: "POST", body: "hi" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("echo POST hi");
  });

  it("refuses a host name that resolves to a private address, and pins the checked one", async () => {
    const intranet = createGuardedHttpClient({ allowedHosts: [], resolve: async () => ["10.20.30.40"] });
    const error = await refusal(intranet.fetch("https://models.example.test/v1/chat/completions"));
    expect(error.code).toBe("BLOCKED_DESTINATION");
    expect(error.message).toContain("models.example.test");
    const mixed = createGuardedHttpClient({
      allowedHosts: [],
      resolve: async () => ["93.184.216.34", "169.254.169.254"],
    });
    expect((await refusal(mixed.fetch("http://mixed.example.test/"))).code).toBe("BLOCKED_DESTINATION");

    // The name only resolves through the injected resolver: the connection goes to its answer.
    const pinned = createGuardedHttpClient({
      allowLoopback: true,
      allowedHosts: [],
      resolve: async () => ["127.0.0.1"],
    });
    const response = await pinned.fetch(`http://rebind.test:${port}/echo`);
    expect(await response.text()).toBe("echo GET ");
    expect(hosts.at(-1)).toBe(`rebind.test:${port}`);
  });

  it("re-checks redirects to other origins", async () => {
    const client = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });
    expect((await refusal(client.fetch(`${base}/to-metadata`))).code).toBe("BLOCKED_DESTINATION");
    const followed = await client.fetch(`${base}/to-echo`, { method: "POST", body: "kept" });
    expect(await followed.text()).toBe("echo POST kept");
  });

  it("streams server-sent events as they come, and stops on abort", async () => {
    const client = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });
    const response = await client.fetch(`${base}/sse`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const started = performance.now();
    const first = await reader.read();
    const firstAt = performance.now() - started;
    expect(decoder.decode(first.value)).toBe("data: first\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += decoder.decode(chunk.value);
    }
    expect(rest).toBe("data: second\n\n");
    expect(firstAt).toBeLessThan(250);

    const controller = new AbortController();
    const endless = await client.fetch(`${base}/endless`, { signal: controller.signal });
    const ticks = (endless.body as ReadableStream<Uint8Array>).getReader();
    await ticks.read();
    controller.abort();
    await expect(
      (async () => {
        for (;;) if ((await ticks.read()).done) return "ended";
      })(),
    ).rejects.toThrow(/abort/i);
  });

  it("gives up on a server that stays silent longer than the idle timeout", async () => {
    const client = createGuardedHttpClient({
      allowLoopback: true,
      allowedHosts: [],
      fetchIdleTimeoutMs: 200,
    });
    const started = performance.now();
    await expect(client.fetch(`${base}/silent`)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("operator allowlist", () => {
  it("opens listed hosts (and ports) and address ranges, never metadata through a host entry", async () => {
    const other = `http://127.0.0.1:${port === 65_535 ? 1 : port + 1}`;
    const listed = createGuardedHttpClient({ allowedHosts: [`127.0.0.1:${port}`] });
    expect(await (await listed.fetch(`${base}/echo`)).text()).toBe("echo GET ");
    await listed.checkUrl(`${base}/v1`);
    expect((await refusal(listed.checkUrl(`${other}/v1`))).code).toBe("BLOCKED_DESTINATION");

    const named = createGuardedHttpClient({
      allowedHosts: ["ollama.internal"],
      resolve: async (host) => (host === "ollama.internal" ? ["192.168.1.20"] : ["169.254.169.254"]),
    });
    await named.checkUrl("http://ollama.internal:11434/v1");
    expect((await refusal(named.checkUrl("http://metadata.internal/"))).code).toBe("BLOCKED_DESTINATION");
    const poisoned = createGuardedHttpClient({
      allowedHosts: ["ollama.internal"],
      resolve: async () => ["169.254.169.254"],
    });
    expect((await refusal(poisoned.checkUrl("http://ollama.internal/"))).code).toBe("BLOCKED_DESTINATION");

    const range = createGuardedHttpClient({
      allowedHosts: ["10.8.0.0/16"],
      resolve: async () => ["10.8.1.2"],
    });
    await range.checkUrl("http://vllm.lan:8000/v1");
    expect((await refusal(range.checkUrl("http://10.9.0.1/"))).code).toBe("BLOCKED_DESTINATION");
  });

  it(`reads ${ALLOWED_HOSTS_ENV} and fails loudly on a malformed entry`, () => {
    expect(
      allowedHostsFromEnv({ [ALLOWED_HOSTS_ENV]: "ollama.internal:11434, 10.0.0.0/8 [::1]:8000" }),
    ).toEqual(["ollama.internal:11434", "10.0.0.0/8", "[::1]:8000"]);
    expect(allowedHostsFromEnv({})).toEqual([]);
    expect(() => allowedHostsFromEnv({ [ALLOWED_HOSTS_ENV]: "http://ollama:11434" })).toThrow(/allowed host/);
    expect(() => allowedHostsFromEnv({ [ALLOWED_HOSTS_ENV]: "10.0.0.0/99" })).toThrow(/allowed host/);
  });

  it("lets private ranges through only when asked, never link-local", () => {
    expect(checkAddress("10.1.2.3", { allowPrivate: true })).toBeUndefined();
    expect(checkAddress("fd12::1", { allowPrivate: true })).toBeUndefined();
    expect(checkAddress("169.254.169.254", { allowPrivate: true, allowLoopback: true })).toBeDefined();
    expect(checkAddress("127.0.0.1", { allowPrivate: true })).toBeDefined();
  });
});
