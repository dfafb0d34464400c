import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAddress } from "./address-policy";
import { createGuardedHttpClient, OutboundHttpError } from "./guarded-http-client";

let server: Server;
let base: string;
const seen: { path: string; host?: string; method?: string; body: string }[] = [];
/** Bytes that are not valid UTF-8 (a text decode would replace them). */
const BINARY = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0x0a]);

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      seen.push({ path: request.url ?? "", host: request.headers.host, method: request.method, body });
      if (request.url === "/redirect-private") {
        response.writeHead(302, { location: "http://10.0.0.1/secret" }).end();
      } else if (request.url === "/redirect-local") {
        response.writeHead(303, { location: "/echo" }).end();
      } else if (request.url === "/loop") {
        response.writeHead(302, { location: "/loop" }).end();
      } else if (request.url === "/big") {
        response.end("x".repeat(5_000));
      } else if (request.url === "/binary") {
        response.writeHead(200, { "content-type": "application/octet-stream" }).end(BINARY);
      } else if (request.url === "/redirect-binary") {
        response.writeHead(302, { location: "/binary" }).end();
      } else if (request.url === "/big-declared") {
        response.writeHead(200, { "content-length": "5000" }).end("x".repeat(5_000));
      } else if (request.url === "/slow") {
        setTimeout(() => response.end("late"), 2_000);
      } else {
        response.writeHead(200, { "content-type": "text/plain" }).end(`echo ${request.method} ${body}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(promise: Promise<unknown>): Promise<OutboundHttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundHttpError);
    return error as OutboundHttpError;
  }
  throw new Error("expected the request to be refused");
}

describe("checkAddress", () => {
  it("refuses loopback, private, link-local, metadata and mapped forms; allows public addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "224.0.0.1",
    ]) {
      expect(checkAddress(address), address).toBeDefined();
    }
    for (const address of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"]) {
      expect(checkAddress(address), address).toBeUndefined();
    }
    expect(checkAddress("127.0.0.1", { allowLoopback: true })).toBeUndefined();
    expect(checkAddress("10.0.0.1", { allowLoopback: true })).toBeDefined();
  });
});

describe("guarded HTTP client", () => {
  it("refuses loopback unless explicitly allowed", async () => {
    const strict = createGuardedHttpClient();
    const error = await refusal(strict.request({ method: "GET", url: `${base}/echo` }));
    expect(error.code).toBe("BLOCKED_DESTINATION");
    const allowed = createGuardedHttpClient({ allowLoopback: true });
    const response = await allowed.request({ method: "POST", url: `${base}/echo`, body: "hi" });
    expect(response.status).toBe(200);
    expect(response.body).toBe("echo POST hi");
  });

  it("refuses a host when any resolved address is private, and pins the checked address", async () => {
    const mixed = createGuardedHttpClient({ resolve: async () => ["93.184.216.34", "10.0.0.5"] });
    expect((await refusal(mixed.request({ method: "GET", url: "http://example.test/" }))).code).toBe(
      "BLOCKED_DESTINATION",
    );
    // DNS says loopback for a name: the connection goes exactly there, with the name as Host.
    const pinned = createGuardedHttpClient({ allowLoopback: true, resolve: async () => ["127.0.0.1"] });
    const port = new URL(base).port;
    const response = await pinned.request({ method: "GET", url: `http://rebind.test:${port}/echo` });
    expect(response.status).toBe(200);
    expect(seen.at(-1)?.host).toBe(`rebind.test:${port}`);
  });

  it("re-checks redirects and follows allowed ones", async () => {
    const client = createGuardedHttpClient({ allowLoopback: true });
    const error = await refusal(client.request({ method: "GET", url: `${base}/redirect-private` }));
    expect(error.code).toBe("BLOCKED_DESTINATION");
    expect(error.message).toContain("10.0.0.1");
    const followed = await client.request({ method: "POST", url: `${base}/redirect-local`, body: "x" });
    expect(followed.body).toBe("echo GET ");
    expect((await refusal(client.request({ method: "GET", url: `${base}/loop` }))).code).toBe(
      "TOO_MANY_REDIRECTS",
    );
  });

  it("fails closed on bad URLs, oversize bodies, timeouts and DNS failures", async () => {
    const client = createGuardedHttpClient({ allowLoopback: true, maxResponseBytes: 1_000, timeoutMs: 300 });
    expect((await refusal(client.request({ method: "GET", url: "file:///etc/passwd" }))).code).toBe(
      "INVALID_URL",
    );
    expect((await refusal(client.request({ method: "GET", url: `http://u:p@127.0.0.1/` }))).code).toBe(
      "INVALID_URL",
    );
    expect((await refusal(client.request({ method: "GET", url: `${base}/big` }))).code).toBe(
      "RESPONSE_TOO_LARGE",
    );
    expect((await refusal(client.request({ method: "GET", url: `${base}/slow` }))).code).toBe("TIMEOUT");
    const noDns = createGuardedHttpClient({
      resolve: async () => {
        throw new Error("NXDOMAIN");
      },
    });
    expect((await refusal(noDns.request({ method: "GET", url: "http://nowhere.test/" }))).code).toBe(
      "DNS_FAILED",
    );
  });

  it("returns binary bodies byte for byte under the same guards", async () => {
    const client = createGuardedHttpClient({ allowLoopback: true, maxResponseBytes: 1_000 });
    const direct = await client.requestBytes({ method: "GET", url: `${base}/binary` });
    expect(direct.status).toBe(200);
    expect(direct.headers["content-type"]).toBe("application/octet-stream");
    expect(Buffer.from(direct.body).equals(BINARY)).toBe(true);
    // The text form of the same response is lossy, which is why the bytes form exists.
    const text = await client.request({ method: "GET", url: `${base}/binary` });
    expect(Buffer.from(text.body, "utf8").equals(BINARY)).toBe(false);

    const redirected = await client.requestBytes({ method: "GET", url: `${base}/redirect-binary` });
    expect(redirected.url).toBe(`${base}/binary`);
    expect(Buffer.from(redirected.body).equals(BINARY)).toBe(true);

    expect(
      (await refusal(client.requestBytes({ method: "GET", url: `${base}/redirect-private` }))).code,
    ).toBe("BLOCKED_DESTINATION");
    expect((await refusal(client.requestBytes({ method: "GET", url: `${base}/big` }))).code).toBe(
      "RESPONSE_TOO_LARGE",
    );
    expect((await refusal(client.requestBytes({ method: "GET", url: `${base}/big-declared` }))).code).toBe(
      "RESPONSE_TOO_LARGE",
    );
    // A caller may raise the size limit for its own call; the client's default stays for others.
    const big = await client.requestBytes(
      { method: "GET", url: `${base}/big` },
      { maxResponseBytes: 10_000 },
    );
    expect(big.body.byteLength).toBe(5_000);
    expect(
      (await refusal(createGuardedHttpClient().requestBytes({ method: "GET", url: `${base}/binary` }))).code,
    ).toBe("BLOCKED_DESTINATION");
    const slow = createGuardedHttpClient({ allowLoopback: true, timeoutMs: 300 });
    expect((await refusal(slow.requestBytes({ method: "GET", url: `${base}/slow` }))).code).toBe("TIMEOUT");
  });
});
