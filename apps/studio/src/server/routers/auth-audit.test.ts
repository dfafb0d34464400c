import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioHarness } from "../test-support/harness";

/**
 * Account events in the audit log: sign-in, failed sign-in (never the password), sign-out, password
 * reset requested and completed (never the token), and workspace switches, each in the workspaces of
 * the account and nowhere else.
 */
let harness: StudioHarness;
beforeAll(async () => {
  harness = await createStudioHarness();
});
afterAll(() => harness?.cleanup());

const from = { ipAddress: "203.0.113.7", userAgent: "audit-test-browser" };

describe("account events in the audit log", () => {
  it("records sign-in, failed sign-in without the password, and sign-out, with where they came from", async () => {
    const { tenantId, ownerId, ownerEmail } = await harness.tenant("Audited");
    const bystander = await harness.tenant("Bystander");
    const visitor = await harness.anonymous(from);
    await expect(
      visitor.auth.signIn({ email: ownerEmail, password: "not the password" }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      visitor.auth.signIn({ email: "nobody-here@example.com", password: "whatever1" }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await visitor.auth.signIn({ email: ownerEmail, password: "correct horse battery" });
    const signedIn = await harness.withToken(harness.tokenOf(visitor) as string);
    await signedIn.auth.signOut();

    const owner = await harness.as(ownerId, tenantId);
    const { entries } = await owner.audit.list({ action: "auth." });
    expect(entries.map((e) => e.action).reverse()).toEqual([
      "auth.sign_in_failed",
      "auth.sign_in",
      "auth.sign_out",
    ]);
    const [signOut, signIn, failed] = entries;
    expect(failed).toMatchObject({
      actorType: "user",
      actorId: null, // whoever typed the address is not known to be its owner
      actorLabel: ownerEmail,
      targetType: "user",
      targetId: ownerId,
      after: { reason: "wrong-password" },
      ipAddress: from.ipAddress,
    });
    expect(signIn).toMatchObject({ actorId: ownerId, targetId: ownerId, ipAddress: from.ipAddress });
    expect(signOut).toMatchObject({ actorId: ownerId, targetId: ownerId });

    // Stored rows: no password, in this workspace only; the unknown address is recorded nowhere.
    const rows = await harness.testDb.db.system.auditLogEntry.findMany({
      where: { action: { startsWith: "auth." }, targetId: ownerId },
    });
    expect(rows.every((row) => row.tenantId === tenantId)).toBe(true);
    expect(rows.find((row) => row.action === "auth.sign_in")?.userAgent).toBe(from.userAgent);
    expect(JSON.stringify(rows)).not.toContain("not the password");
    expect(JSON.stringify(rows)).not.toContain("correct horse battery");
    expect(
      await harness.testDb.db.system.auditLogEntry.count({
        where: { actorLabel: "nobody-here@example.com" },
      }),
    ).toBe(0);
    const other = await harness.as(bystander.ownerId, bystander.tenantId);
    expect((await other.audit.list({ action: "auth.", targetId: ownerId })).entries).toEqual([]);
  });

  it("records a password reset request and its completion, never the link's token", async () => {
    const { tenantId, ownerId, ownerEmail } = await harness.tenant("Reset Co");
    const visitor = await harness.anonymous(from);
    await visitor.auth.requestPasswordReset({ email: ownerEmail });
    const mail = harness.mailer.sent.filter((m) => m.to === ownerEmail).at(-1);
    const token = decodeURIComponent(/reset-password\?token=(\S+)/.exec(mail?.text ?? "")?.[1] ?? "");
    expect(token.length).toBeGreaterThan(10);
    await harness.as(ownerId, tenantId); // a session the reset will revoke
    await visitor.auth.resetPassword({ token, password: "my new password" });

    const owner = await harness.as(ownerId, tenantId);
    const { entries } = await owner.audit.list({ action: "auth.password_reset" });
    expect(entries.map((e) => [e.action, e.actorId]).reverse()).toEqual([
      ["auth.password_reset_requested", null],
      ["auth.password_reset_completed", ownerId],
    ]);
    expect(entries[0]?.after).toEqual({ sessionsRevoked: 1 });
    const csv = (await owner.audit.exportCsv({ action: "auth." })).csv;
    expect(csv).toContain("auth.password_reset_completed");
    expect(csv).not.toContain(token);
    expect(csv).not.toContain("my new password");
  });

  it("records a workspace switch in the workspace entered only", async () => {
    const first = await harness.tenant("First");
    const owner = await harness.as(first.ownerId, first.tenantId);
    const second = await owner.tenants.create({ name: "Second" });
    const session = harness.tokenOf(owner) as string;
    await (await harness.withToken(session)).tenants.switch({ tenantId: first.tenantId });

    const inFirst = await (await harness.withToken(session)).audit.list({ action: "auth.tenant_switch" });
    expect(inFirst.entries).toHaveLength(1);
    expect(inFirst.entries[0]).toMatchObject({
      actorId: first.ownerId,
      after: { tenantId: first.tenantId, role: "owner" },
    });
    const secondCaller = await harness.as(first.ownerId, second.id);
    expect((await secondCaller.audit.list({ action: "auth.tenant_switch" })).entries).toEqual([]);
  });
});
