import { beforeAll, describe, expect, it } from "vitest";

/**
 * Which X-Forwarded-* headers the studio believes. Over real HTTP (`parley start`, untrusted peer)
 * this is covered in packages/cli/src/commands/start-studio.test.ts; here the trusted-proxy side,
 * with TRUSTED_PROXIES set as an operator would.
 */
let requestMetaOf: typeof import("./http-context").requestMetaOf;

beforeAll(async () => {
  process.env.TRUSTED_PROXIES = "10.0.0.0/8";
  process.env.PARLEY_STUDIO_PEER_HEADER = "1";
  process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/test";
  ({ requestMetaOf } = await import("./http-context"));
});

const request = (headers: Record<string, string>) =>
  new Request("http://studio.internal:3000/api/trpc/auth.me", { headers });

describe("requestMetaOf behind TRUSTED_PROXIES", () => {
  it("believes X-Forwarded-* from a trusted proxy: the public origin and the client's address", () => {
    const meta = requestMetaOf(
      request({
        host: "studio.internal:3000",
        "x-parley-peer-address": "10.1.2.3",
        "x-forwarded-host": "studio.example.com",
        "x-forwarded-proto": "https",
        "x-forwarded-for": "6.6.6.6, 203.0.113.7",
      }),
    );
    expect(meta.selfOrigin).toBe("https://studio.example.com");
    expect(meta.ipAddress).toBe("203.0.113.7");
  });

  it("ignores them from any other peer", () => {
    const meta = requestMetaOf(
      request({
        host: "studio.internal:3000",
        "x-parley-peer-address": "198.51.100.9",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "https",
        "x-forwarded-for": "203.0.113.7",
        "x-real-ip": "203.0.113.8",
      }),
    );
    expect(meta.selfOrigin).toBe("http://studio.internal:3000");
    expect(meta.ipAddress).toBe("198.51.100.9");
  });
});
