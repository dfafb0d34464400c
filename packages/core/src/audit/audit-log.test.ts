import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../audit";
import type { ServiceContext } from "../context";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { exportAuditCsv, listAuditEntries, streamAuditCsv } from "./audit-log";

let harness: Harness;
let ctx: ServiceContext;
beforeAll(async () => {
  harness = await createHarness();
  ctx = (await seedTenant(harness.deps)).ctx;
  const db = harness.deps.db.forTenant(ctx.tenantId);
  for (let i = 0; i < 3; i += 1) {
    await recordAudit(db, ctx, {
      action: "thing.change",
      targetType: "thing",
      targetId: `t${i}`,
      after: { n: i, token: "secret-value", nested: { password: "pw" } },
    });
  }
}, 60_000);
afterAll(() => harness?.cleanup());

const reader: () => ServiceContext = () => ({
  ...ctx,
  actor: { type: "api_key", keyId: "k", scopes: ["audit:read"], label: "reader" },
});

describe("audit log reads", () => {
  it("pages newest first with a cursor, filters, and redacts secrets", async () => {
    const first = await listAuditEntries(reader(), { action: "thing.", limit: 2 });
    expect(first.entries.map((e) => e.targetId)).toEqual(["t2", "t1"]);
    const second = await listAuditEntries(reader(), {
      action: "thing.",
      limit: 2,
      cursor: first.nextCursor ?? "",
    });
    expect(second).toMatchObject({ entries: [{ targetId: "t0" }], nextCursor: null });
    expect(first.entries[0]?.after).toEqual({
      n: 2,
      token: "[redacted]",
      nested: { password: "[redacted]" },
    });
    expect((await listAuditEntries(reader(), { targetId: "t1" })).entries).toHaveLength(1);
    expect((await listAuditEntries(reader(), { to: "2000-01-01T00:00:00Z" })).entries).toEqual([]);
  });

  it("refuses actors without audit:read before any CSV is produced", async () => {
    const viewer: ServiceContext = {
      ...ctx,
      actor: { type: "user", userId: "u", role: "viewer", label: "v" },
    };
    expect(() => streamAuditCsv(viewer)).toThrow(/audit:read/);
    expect((await rejection(listAuditEntries(viewer))).kind).toBe("forbidden");
    expect((await rejection(listAuditEntries(reader(), { cursor: "x" }))).details.errors?.[0]?.path).toBe(
      "cursor",
    );
  });

  it("exports the filtered log as CSV, header first, never the secrets", async () => {
    const csv = await exportAuditCsv(reader(), { action: "thing." });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("thing.change");
    expect(csv).not.toContain("secret-value");
    const capped: string[] = [];
    for await (const chunk of streamAuditCsv(reader(), { action: "thing." }, 2)) capped.push(chunk);
    expect(capped).toHaveLength(3);
  });
});
