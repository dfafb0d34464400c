import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../context";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { getFlow, listFlowVersions, publishFlow, saveFlowDraft } from "./flows";
import { getFlowVersion, rollbackFlow } from "./versions";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

/** The pizza flow's draft with its greeting changed (a new, valid document). */
function withGreeting(draft: Record<string, unknown>, text: string): Record<string, unknown> {
  const copy = structuredClone(draft) as { nodes: { kind: string; data: Record<string, unknown> }[] };
  const message = copy.nodes.find((node) => node.kind === "message");
  if (!message) throw new Error("the pizza flow has no message node");
  message.data.text = text;
  return copy as unknown as Record<string, unknown>;
}

describe("flow versions", () => {
  it("lists versions with who published them and fetches one with its document", async () => {
    const seed = await seedTenant(harness.deps);
    const draft = (await getFlow(seed.ctx, seed.flow.id)).draft;
    await saveFlowDraft(seed.ctx, seed.flow.id, { document: withGreeting(draft, "Second greeting") });
    const v2 = await publishFlow(seed.ctx, seed.flow.id, { note: "second" });
    expect(v2.publishedBy).toEqual({ id: seed.owner.id, name: "Owner" });

    const versions = await listFlowVersions(seed.ctx, seed.flow.id);
    expect(versions.map((v) => [v.version, v.note, v.publishedBy?.name])).toEqual([
      [2, "second", "Owner"],
      [1, "first", "Owner"],
    ]);

    const v1 = await getFlowVersion(seed.ctx, seed.flow.id, 1);
    expect(v1.id).toBe(seed.version.id);
    expect(JSON.stringify(v1.document)).not.toContain("Second greeting");
    expect(JSON.stringify((await getFlowVersion(seed.ctx, seed.flow.id, 2)).document)).toContain(
      "Second greeting",
    );
    expect((await rejection(getFlowVersion(seed.ctx, seed.flow.id, 3))).code).toBe("flow-version-not-found");
    expect((await rejection(getFlowVersion(seed.ctx, seed.flow.id, 0))).code).toBe("flow-version-not-found");
  });

  it("rolls back: publishes an older version again as a new version and makes it the draft", async () => {
    const seed = await seedTenant(harness.deps);
    const draft = (await getFlow(seed.ctx, seed.flow.id)).draft;
    const saved = await saveFlowDraft(seed.ctx, seed.flow.id, { document: withGreeting(draft, "Changed") });
    await publishFlow(seed.ctx, seed.flow.id, { note: "changed" });

    const rolled = await rollbackFlow(seed.ctx, seed.flow.id, {
      version: 1,
      expectedRevision: saved.flow.draftRevision,
    });
    expect(rolled).toMatchObject({ version: 3, note: "Rollback to version 1", status: "published" });
    expect(rolled.publishedBy?.id).toBe(seed.owner.id);

    const flow = await getFlow(seed.ctx, seed.flow.id);
    expect(flow.publishedVersionId).toBe(rolled.id);
    expect(flow.draftRevision).toBe(saved.flow.draftRevision + 1);
    expect(JSON.stringify(flow.draft)).not.toContain("Changed");
    const v3 = await getFlowVersion(seed.ctx, seed.flow.id, 3);
    expect(v3.document).toEqual((await getFlowVersion(seed.ctx, seed.flow.id, 1)).document);

    // The rows: three immutable versions, the flow pointing at the newest; one audit entry for it.
    const rows = await harness.testDb.db.system.flowVersion.findMany({
      where: { flowId: seed.flow.id },
      orderBy: { version: "asc" },
      select: { version: true, machine: true },
    });
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3]);
    expect(rows[2]?.machine).toEqual(rows[0]?.machine);
    const audit = await harness.testDb.db.system.auditLogEntry.findMany({
      where: { tenantId: seed.tenant.id, action: "flow.rollback" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after).toMatchObject({ toVersion: 1, version: 3, versionId: rolled.id });
  });

  it("refuses a rollback over someone else's newer draft, and changes nothing", async () => {
    const seed = await seedTenant(harness.deps);
    const draft = (await getFlow(seed.ctx, seed.flow.id)).draft;
    const first = await saveFlowDraft(seed.ctx, seed.flow.id, { document: withGreeting(draft, "Mine") });
    await saveFlowDraft(seed.ctx, seed.flow.id, { document: withGreeting(draft, "Theirs") });

    const refused = await rejection(
      rollbackFlow(seed.ctx, seed.flow.id, { version: 1, expectedRevision: first.flow.draftRevision }),
    );
    expect(refused).toMatchObject({ kind: "conflict", code: "draft-conflict" });
    const flow = await getFlow(seed.ctx, seed.flow.id);
    expect(JSON.stringify(flow.draft)).toContain("Theirs");
    expect(flow.publishedVersionId).toBe(seed.version.id);
    expect((await listFlowVersions(seed.ctx, seed.flow.id)).map((v) => v.version)).toEqual([1]);
  });

  it("checks roles and keeps other tenants' flows invisible", async () => {
    const seed = await seedTenant(harness.deps, "Mine");
    const other = await seedTenant(harness.deps, "Theirs");
    const analyst: ServiceContext = {
      ...seed.ctx,
      actor: { type: "user", userId: seed.owner.id, role: "analyst", label: "analyst" },
    };
    expect((await rejection(rollbackFlow(analyst, seed.flow.id, { version: 1 }))).kind).toBe("forbidden");
    const publishOnlyKey: ServiceContext = {
      ...seed.ctx,
      actor: { type: "api_key", keyId: seed.apiKey.id, scopes: ["flows:publish"], label: "key" },
    };
    // Rollback replaces the draft, so publishing rights alone are not enough.
    expect((await rejection(rollbackFlow(publishOnlyKey, seed.flow.id, { version: 1 }))).kind).toBe(
      "forbidden",
    );

    // Another tenant's flow id answers exactly like an id that does not exist.
    expect((await rejection(getFlowVersion(seed.ctx, other.flow.id, 1))).code).toBe("flow-not-found");
    expect((await rejection(rollbackFlow(seed.ctx, other.flow.id, { version: 1 }))).code).toBe(
      "flow-not-found",
    );
    expect((await rejection(listFlowVersions(seed.ctx, other.flow.id))).code).toBe("flow-not-found");
    expect((await rejection(getFlowVersion(seed.ctx, "not-a-uuid", 1))).code).toBe("flow-not-found");
    expect(await harness.testDb.db.system.flowVersion.count({ where: { flowId: other.flow.id } })).toBe(1);
  });

  it("refuses invalid rollback input naming the field", async () => {
    const seed = await seedTenant(harness.deps);
    const refused = await rejection(
      rollbackFlow(seed.ctx, seed.flow.id, { version: 1, note: "x".repeat(2_001) }),
    );
    expect(refused).toMatchObject({ kind: "invalid", code: "invalid-input" });
    expect(refused.details.errors?.map((e) => e.path)).toEqual(["note"]);
  });
});
