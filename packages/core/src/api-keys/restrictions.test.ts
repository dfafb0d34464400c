import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { authenticateKey, createApiKey, listApiKeys } from "./api-keys";

describe("API key restrictions: address ranges and expiry", () => {
  let harness: Harness;
  let seeded: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    harness = await createHarness();
    seeded = await seedTenant(harness.deps);
  });
  afterAll(() => harness.cleanup());

  it("accepts a key only from its allowed ranges, and says why otherwise", async () => {
    const { key, apiKey } = await createApiKey(seeded.ctx, {
      name: "office only",
      scopes: ["conversations:write"],
      allowedCidrs: ["10.20.0.0/16", "2001:db8::/32"],
    });
    expect(apiKey.allowedCidrs).toEqual(["10.20.0.0/16", "2001:db8::/32"]);

    const inside = await authenticateKey(harness.deps, key, { clientAddress: "10.20.3.4" });
    expect(inside.tenantId).toBe(seeded.tenant.id);
    await authenticateKey(harness.deps, key, { clientAddress: "::ffff:10.20.3.4" });
    await authenticateKey(harness.deps, key, { clientAddress: "2001:db8::7" });

    const outside = await rejection(authenticateKey(harness.deps, key, { clientAddress: "10.21.0.1" }));
    expect(outside.kind).toBe("forbidden");
    expect(outside.code).toBe("api-key-address-not-allowed");
    expect(outside.message).toContain("10.21.0.1");
    expect(outside.message).toContain("10.20.0.0/16");

    const unknown = await rejection(authenticateKey(harness.deps, key));
    expect(unknown.code).toBe("api-key-address-not-allowed");
  });

  it("lets an unrestricted key in from anywhere", async () => {
    const auth = await authenticateKey(harness.deps, seeded.key, { clientAddress: "192.0.2.1" });
    expect(auth.tenantId).toBe(seeded.tenant.id);
  });

  it("refuses a bad range with the field's path and creates nothing", async () => {
    const before = (await listApiKeys(seeded.ctx)).length;
    const error = await rejection(
      createApiKey(seeded.ctx, { name: "bad", scopes: ["bots:read"], allowedCidrs: ["10.0.0.0/8", "nope"] }),
    );
    expect(error.kind).toBe("invalid");
    expect(JSON.stringify(error.details.errors)).toContain("allowedCidrs");
    expect((await listApiKeys(seeded.ctx)).length).toBe(before);
  });

  it("refuses an expiry in the past and stops a key at its expiry", async () => {
    const past = await rejection(
      createApiKey(seeded.ctx, { name: "old", scopes: ["bots:read"], expiresAt: "2020-01-01T00:00:00Z" }),
    );
    expect(JSON.stringify(past.details.errors)).toContain("expiresAt");

    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const { key, apiKey } = await createApiKey(seeded.ctx, {
      name: "short",
      scopes: ["bots:read"],
      expiresAt,
    });
    expect(apiKey.expiresAt).toBe(expiresAt);
    await authenticateKey(harness.deps, key);
    const later = { ...harness.deps, clock: { now: () => Date.now() + 120_000 } };
    const expired = await rejection(authenticateKey(later, key));
    expect(expired.code).toBe("api-key-expired");
  });
});
