import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvider } from "./create-provider";
import { ProviderError } from "./provider-error";

/**
 * An OpenAI-compatible partner on loopback that answers every chat completion with a 50 MB body:
 * declared (`Content-Length`), undeclared (chunked JSON), or an SSE stream that never ends. It
 * records how much it managed to send before the client hung up.
 */
const FIFTY_MB = 50 * 1024 * 1024;
let server: Server;
let base: string;
let mode: "declared" | "chunked" | "sse" = "declared";
let lastSent: Promise<number> = Promise.resolve(0);

function pour(response: ServerResponse, piece: Buffer, total: number): Promise<number> {
  let sent = 0;
  return new Promise((resolve) => {
    response.on("close", () => resolve(sent));
    const pump = () => {
      while (sent < total && !response.destroyed) {
        sent += piece.length;
        if (!response.write(piece)) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (mode === "sse") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        const chunk = {
          id: "c",
          object: "chat.completion.chunk",
          created: 0,
          model: "m",
          choices: [{ index: 0, delta: { content: "" }, finish_reason: null }],
        };
        lastSent = pour(response, Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`.repeat(200)), FIFTY_MB);
        return;
      }
      response.writeHead(200, {
        "content-type": "application/json",
        ...(mode === "declared" ? { "content-length": String(FIFTY_MB) } : {}),
      });
      lastSent = pour(response, Buffer.alloc(64 * 1024, " "), FIFTY_MB);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

// Loopback opened for the test only; the cap is the default (4 MiB) unless the case sets one.
const platform = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const messages = [{ role: "user" as const, content: "hello" }];

describe("a 50 MB model reply", () => {
  it.each(["declared", "chunked"] as const)(
    "fails with a clear too_large error (%s length), reading no more than the cap",
    async (how) => {
      mode = how;
      const provider = createProvider(
        { name: "partner", kind: "openai_compatible", apiKey: "k", baseUrl: `${base}/v1` },
        { fetch: platform.fetch },
      );
      const failure = await failureOf(
        provider.complete({ model: "m", messages, json: false }, { signal: AbortSignal.timeout(30_000) }),
      );
      expect(failure.failure).toBe("too_large");
      expect(failure.retryable).toBe(false);
      expect(failure.message).toMatch(/^partner: response from 127\.0\.0\.1:\d+ exceeded 4194304 bytes/);
      // The client hung up long before the 50 MB were through (socket buffers allow a few MB more).
      expect(await lastSent).toBeLessThan(FIFTY_MB / 2);
    },
  );

  it("cuts a streamed (SSE) answer that goes over the cap", async () => {
    mode = "sse";
    const small = createGuardedHttpClient({
      allowLoopback: true,
      allowedHosts: [],
      maxResponseBytes: 1024 * 1024,
    });
    const provider = createProvider(
      { name: "partner", kind: "openai_compatible", apiKey: "k", baseUrl: `${base}/v1` },
      { fetch: small.fetch },
    );
    const failure = await failureOf(
      provider.complete(
        { model: "m", messages, json: false },
        { signal: AbortSignal.timeout(30_000), onToken: () => {} },
      ),
    );
    expect(failure.failure).toBe("too_large");
    expect(failure.message).toContain("exceeded 1048576 bytes");
    expect(await lastSent).toBeLessThan(FIFTY_MB / 2);
  });

  it("is capped for the operator's own providers too (no address rules, same cap)", async () => {
    mode = "chunked";
    const provider = createProvider(
      { name: "operator", kind: "openai_compatible", apiKey: "k", baseUrl: `${base}/v1` },
      { fetch: createGuardedHttpClient({ allowedHosts: [] }).operatorFetch },
    );
    const failure = await failureOf(
      provider.complete({ model: "m", messages, json: false }, { signal: AbortSignal.timeout(30_000) }),
    );
    expect(failure.failure).toBe("too_large");
    expect(await lastSent).toBeLessThan(FIFTY_MB / 2);
  });
});
