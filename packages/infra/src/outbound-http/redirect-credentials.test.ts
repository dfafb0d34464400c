import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedHttpClient } from "./guarded-http-client";

/** Two partner servers on loopback: different ports, so different origins. */
let origin: Server;
let other: Server;
let originBase: string;
let otherBase: string;
const seenByOrigin: { path: string; headers: IncomingHttpHeaders }[] = [];
const seenByOther: { path: string; headers: IncomingHttpHeaders }[] = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  origin = createServer((request, response) => {
    seenByOrigin.push({ path: request.url ?? "", headers: request.headers });
    if (request.url === "/away") response.writeHead(302, { location: `${otherBase}/landing` }).end();
    else if (request.url === "/away-307") response.writeHead(307, { location: `${otherBase}/landing` }).end();
    else if (request.url === "/here") response.writeHead(302, { location: "/landing" }).end();
    else response.writeHead(200).end("origin");
  });
  other = createServer((request, response) => {
    seenByOther.push({ path: request.url ?? "", headers: request.headers });
    response.writeHead(200).end("other");
  });
  originBase = await listen(origin);
  otherBase = await listen(other);
});
afterAll(async () => {
  await Promise.all(
    [origin, other].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

const secrets = {
  Authorization: "Bearer s3cret-token",
  Cookie: "session=s3cret-cookie",
  "Proxy-Authorization": "Basic czNjcmV0",
  "X-Api-Key": "s3cret-key",
  Accept: "application/json",
};
// Loopback is opened for tests only (production refuses it unless the operator allowlists a host).
const client = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });

describe("credentials on redirects (plain http nodes)", () => {
  it("drops Authorization, Cookie, Proxy-Authorization and named credential headers across origins", async () => {
    for (const path of ["/away", "/away-307"]) {
      const response = await client.request(
        { method: "GET", url: `${originBase}${path}`, headers: secrets },
        { credentialHeaders: ["X-Api-Key"] },
      );
      expect(response.body).toBe("other");
      const landed = seenByOther.at(-1)?.headers ?? {};
      expect(landed.authorization).toBeUndefined();
      expect(landed.cookie).toBeUndefined();
      expect(landed["proxy-authorization"]).toBeUndefined();
      expect(landed["x-api-key"]).toBeUndefined();
      expect(landed.accept).toBe("application/json");
      expect(landed.host).toBe(new URL(otherBase).host);
      // The first hop did carry them.
      expect(seenByOrigin.at(-1)?.headers.authorization).toBe("Bearer s3cret-token");
    }
  });

  it("keeps them on a same-origin redirect", async () => {
    const response = await client.request(
      { method: "GET", url: `${originBase}/here`, headers: secrets },
      { credentialHeaders: ["x-api-key"] },
    );
    expect(response.body).toBe("origin");
    const landed = seenByOrigin.at(-1);
    expect(landed?.path).toBe("/landing");
    expect(landed?.headers.authorization).toBe("Bearer s3cret-token");
    expect(landed?.headers.cookie).toBe("session=s3cret-cookie");
    expect(landed?.headers["x-api-key"]).toBe("s3cret-key");
  });

  it("never lets a caller set Host or hop-by-hop headers", async () => {
    await client.request({
      method: "POST",
      url: `${originBase}/plain`,
      body: "x",
      headers: {
        Host: "internal.example",
        Connection: "upgrade",
        Upgrade: "websocket",
        "Transfer-Encoding": "chunked",
        TE: "trailers",
        "Keep-Alive": "timeout=5",
        "Content-Length": "999",
      },
    });
    const sent = seenByOrigin.at(-1)?.headers ?? {};
    expect(sent.host).toBe(new URL(originBase).host);
    expect(sent.upgrade).toBeUndefined();
    expect(sent["transfer-encoding"]).toBeUndefined();
    expect(sent.te).toBeUndefined();
    expect(sent["keep-alive"]).toBeUndefined();
    expect(sent["content-length"]).toBe("1");
  });

  it("re-checks the redirect target with the SSRF guard", async () => {
    const strictForOther = createGuardedHttpClient({ allowedHosts: [originBase.replace("http://", "")] });
    const error = await strictForOther
      .request({ method: "GET", url: `${originBase}/away`, headers: secrets })
      .catch((caught: unknown) => caught as Error);
    expect((error as { code?: string }).code).toBe("BLOCKED_DESTINATION");
  });
});

describe("credentials on redirects (guarded fetch: the model providers' SDKs)", () => {
  const providerHeaders = {
    Authorization: "Bearer s3cret-token",
    "x-api-key": "s3cret-anthropic",
    "api-key": "s3cret-azure",
    "x-goog-api-key": "s3cret-google",
    Cookie: "session=s3cret",
    "content-type": "application/json",
  };

  it("drops every credential header, API keys included, when a redirect leaves the origin", async () => {
    const response = await client.fetch(`${originBase}/away-307`, {
      method: "POST",
      headers: providerHeaders,
      body: '{"model":"m"}',
    });
    expect(await response.text()).toBe("other");
    const landed = seenByOther.at(-1)?.headers ?? {};
    for (const name of ["authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie"]) {
      expect(landed[name], name).toBeUndefined();
    }
    expect(landed["content-type"]).toBe("application/json");
  });

  it("keeps them on a same-origin redirect", async () => {
    const response = await client.fetch(`${originBase}/here`, { headers: providerHeaders });
    expect(await response.text()).toBe("origin");
    const landed = seenByOrigin.at(-1);
    expect(landed?.path).toBe("/landing");
    expect(landed?.headers["x-api-key"]).toBe("s3cret-anthropic");
    expect(landed?.headers.authorization).toBe("Bearer s3cret-token");
  });
});
