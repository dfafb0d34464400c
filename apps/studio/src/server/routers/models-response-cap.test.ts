import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/**
 * Finding 9 through the studio's "try it": an OpenAI-compatible server answering with 50 MB. The
 * guarded fetch cuts the reply at the response cap (default 4 MiB) and try-it reports a clear error
 * instead of the studio reading it all into memory.
 */
const FIFTY_MB = 50 * 1024 * 1024;
let harness: StudioHarness;
let owner: StudioCaller;
let editor: StudioCaller;
let flood: Server;
let floodUrl: string;
const sent: Promise<number>[] = [];

beforeAll(async () => {
  harness = await createStudioHarness();
  const tenant = await harness.tenant("Flooded Inc");
  owner = await harness.as(tenant.ownerId, tenant.tenantId);
  editor = await harness.as((await harness.member(tenant.tenantId, "editor")).userId, tenant.tenantId);
  flood = createServer((request, response) => {
    request.resume();
    let written = 0;
    sent.push(new Promise((resolve) => response.on("close", () => resolve(written))));
    response.writeHead(200, { "content-type": "application/json", "content-length": String(FIFTY_MB) });
    const piece = Buffer.alloc(64 * 1024, " ");
    const pump = () => {
      while (written < FIFTY_MB && !response.destroyed) {
        written += piece.length;
        if (!response.write(piece)) return void response.once("drain", pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => flood.listen(0, "127.0.0.1", resolve));
  floodUrl = `http://127.0.0.1:${(flood.address() as AddressInfo).port}`;
});

afterAll(async () => {
  flood?.closeAllConnections();
  await new Promise<void>((resolve) => (flood ? flood.close(() => resolve()) : resolve()));
  await harness?.cleanup();
});

describe("try it against a provider that answers 50 MB", () => {
  it("fails with the response cap's reason, having read a bounded part", async () => {
    await owner.models.saveProvider({ name: "flood", kind: "openai_compatible", baseUrl: `${floodUrl}/v1` });
    await owner.models.saveRoute({
      name: "flooded",
      policy: { targets: [{ provider: "flood", model: "big" }], retry: { attempts: 2 } },
    });
    const error = await editor.models
      .tryPrompt({ prompt: "hello", route: "flooded" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    const trpc = error as TRPCError;
    expect(trpc.code).toBe("SERVICE_UNAVAILABLE");
    const details = (trpc.cause as { details?: { errors?: { path: string; message: string }[] } }).details;
    expect(details?.errors?.[0]).toMatchObject({ path: "flood/big" });
    expect(details?.errors?.[0]?.message).toMatch(/response from 127\.0\.0\.1:\d+ exceeded 4194304 bytes/);
    // One attempt (too_large is not retried), and the 50 MB never came through.
    const bytes = await Promise.all(sent);
    expect(bytes).toHaveLength(1);
    expect(bytes[0]).toBeLessThan(FIFTY_MB / 2);
  });
});
