import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioHarness } from "../test-support/harness";

let harness: StudioHarness;
beforeAll(async () => {
  harness = await createStudioHarness();
});
afterAll(() => harness?.cleanup());

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
};

describe("sign-up, sign-in, sessions", () => {
  it("signs up through the e-mailed link with a first workspace, stores only a session hash, and signs in and out", async () => {
    const visitor = await harness.anonymous();
    const email = `Ada-${Date.now()}@Example.com`;
    expect(await visitor.auth.signUp({ email, name: "Ada", password: "analytical engine" })).toEqual({
      ok: true,
    });
    // No session before the address is confirmed.
    expect(harness.tokenOf(visitor)).toBeNull();
    const mail = harness.mailer.sent.filter((m) => m.to === email.toLowerCase()).at(-1);
    const link = decodeURIComponent(/verify-email\?token=(\S+)/.exec(mail?.text ?? "")?.[1] ?? "");
    const confirming = await harness.anonymous();
    const { tenantId } = await confirming.auth.confirmSignUp({ token: link });
    expect(await codeOf((await harness.anonymous()).auth.confirmSignUp({ token: link }))).toBe("BAD_REQUEST");
    const token = harness.tokenOf(confirming) as string;
    expect(token).toMatch(/^ses_/);
    const stored = await harness.testDb.db.system.studioSession.findMany({
      where: { user: { email: email.toLowerCase() } },
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(token);

    const ada = await harness.withToken(token);
    const me = await ada.auth.me();
    expect(me?.user.email).toBe(email.toLowerCase());
    expect(me?.activeTenant).toMatchObject({ id: tenantId, role: "owner" });
    expect(me?.csrfToken.length).toBeGreaterThan(20);

    expect(await codeOf(visitor.auth.signIn({ email, password: "wrong password" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(visitor.auth.signIn({ email: "nobody@example.com", password: "whatever1" }))).toBe(
      "UNAUTHORIZED",
    );
    const again = await harness.anonymous();
    await again.auth.signIn({ email, password: "analytical engine" });
    expect(harness.tokenOf(again)).toMatch(/^ses_/);

    await ada.auth.signOut();
    expect(harness.tokenOf(ada)).toBeNull();
    expect(await (await harness.withToken(token)).auth.me()).toBeNull();
  });

  it("answers a taken e-mail like a new one (the owner is told by e-mail) and refuses a short password", async () => {
    const { ownerEmail } = await harness.tenant();
    const visitor = await harness.anonymous();
    expect(await visitor.auth.signUp({ email: ownerEmail, name: "X", password: "long enough" })).toEqual({
      ok: true,
    });
    expect(harness.tokenOf(visitor)).toBeNull();
    expect(harness.mailer.sent.filter((m) => m.to === ownerEmail).at(-1)?.subject).toBe(
      "Someone tried to sign up to Parley with your address",
    );
    await expect(
      visitor.auth.signUp({ email: "x@example.com", name: "X", password: "short" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("throttles repeated failures with TOO_MANY_REQUESTS and the wait in the message", async () => {
    const { ownerEmail } = await harness.tenant();
    const visitor = await harness.anonymous({ ipAddress: "203.0.113.77" });
    for (let i = 0; i < 5; i += 1) {
      expect(await codeOf(visitor.auth.signIn({ email: ownerEmail, password: "wrong password" }))).toBe(
        "UNAUTHORIZED",
      );
    }
    await expect(
      visitor.auth.signIn({ email: ownerEmail, password: "correct horse battery" }),
    ).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Too many sign-in attempts. Try again in 1 second.",
    });
    expect(harness.tokenOf(visitor)).toBeNull();
  });

  it("requires the CSRF token on mutations and refuses cross-origin mutations", async () => {
    const { tenantId, ownerId } = await harness.tenant();
    const noToken = await harness.as(ownerId, tenantId, { csrf: "missing" });
    expect(await codeOf(noToken.bots.create({ name: "Sneaky" }))).toBe("FORBIDDEN");
    expect(await codeOf(noToken.bots.list())).toBe("OK");
    const foreign = await harness.anonymous({
      origin: "https://evil.example",
      selfOrigin: "http://studio.test",
    });
    expect(await codeOf(foreign.auth.signIn({ email: "a@example.com", password: "whatever1" }))).toBe(
      "FORBIDDEN",
    );
  });

  it("resets a password through an e-mailed single-use link that signs out every session", async () => {
    const { tenantId, ownerId, ownerEmail } = await harness.tenant();
    const oldSession = await harness.as(ownerId, tenantId);
    const visitor = await harness.anonymous();
    await visitor.auth.requestPasswordReset({ email: ownerEmail });
    await visitor.auth.requestPasswordReset({ email: "unknown@example.com" });
    const mail = harness.mailer.sent.filter((m) => m.to === ownerEmail).at(-1);
    expect(harness.mailer.sent.some((m) => m.to === "unknown@example.com")).toBe(false);
    const link = /http:\/\/studio\.test\/reset-password\?token=(\S+)/.exec(mail?.text ?? "");
    expect(link).not.toBeNull();
    const token = decodeURIComponent(link?.[1] ?? "");
    await visitor.auth.resetPassword({ token, password: "a brand new password" });
    expect(await (await harness.withToken(harness.tokenOf(oldSession) as string)).auth.me()).toBeNull();
    await expect(
      visitor.auth.resetPassword({ token, password: "another new password" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const fresh = await harness.anonymous();
    await fresh.auth.signIn({ email: ownerEmail, password: "a brand new password" });
  });
});

describe("tenants and invitations", () => {
  it("invites by e-mail, the invitee creates an account, joins with the role, and switches workspaces", async () => {
    const { tenantId, ownerId } = await harness.tenant("Invite Co");
    const owner = await harness.as(ownerId, tenantId);
    const email = `invitee-${Date.now()}@example.com`;
    await owner.members.invite({ email, role: "editor" });
    expect((await owner.members.invitations()).map((i) => i.email)).toContain(email);
    const link = /invitation\?token=(\S+)/.exec(harness.mailer.sent.find((m) => m.to === email)?.text ?? "");
    const token = decodeURIComponent(link?.[1] ?? "");
    const visitor = await harness.anonymous();
    expect(await visitor.auth.invitation({ token })).toMatchObject({
      tenantName: "Invite Co",
      role: "editor",
      userExists: false,
    });
    await visitor.auth.acceptInvitation({ token, name: "Eve", password: "editor password" });
    const eve = await harness.withToken(harness.tokenOf(visitor) as string);
    expect((await eve.auth.me())?.activeTenant).toMatchObject({ id: tenantId, role: "editor" });
    expect((await owner.members.list()).find((m) => m.email === email)?.role).toBe("editor");
    await expect(
      visitor.auth.acceptInvitation({ token, name: "Eve", password: "editor password" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });

    // Editors cannot create workspaces (only owners); owners can, and switch between them.
    expect(await codeOf(eve.tenants.create({ name: "Mine" }))).toBe("FORBIDDEN");
    const second = await owner.tenants.create({ name: "Second" });
    const ownerToken = harness.tokenOf(owner) as string;
    expect((await (await harness.withToken(ownerToken)).auth.me())?.activeTenant?.id).toBe(second.id);
    await (await harness.withToken(ownerToken)).tenants.switch({ tenantId });
    expect((await (await harness.withToken(ownerToken)).auth.me())?.activeTenant?.id).toBe(tenantId);
    expect(await codeOf(eve.tenants.switch({ tenantId: second.id }))).toBe("NOT_FOUND");
  });

  it("never lets an admin hand out owner, and keeps the last owner", async () => {
    const { tenantId, ownerId } = await harness.tenant();
    const admin = await harness.member(tenantId, "admin");
    const adminCaller = await harness.as(admin.userId, tenantId);
    expect(await codeOf(adminCaller.members.invite({ email: "boss@example.com", role: "owner" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(adminCaller.members.changeRole({ userId: ownerId, role: "viewer" }))).toBe(
      "FORBIDDEN",
    );
    const owner = await harness.as(ownerId, tenantId);
    expect(await codeOf(owner.members.changeRole({ userId: ownerId, role: "admin" }))).toBe("CONFLICT");
    expect(await codeOf(owner.members.remove({ userId: ownerId }))).toBe("CONFLICT");
    const viewer = await harness.member(tenantId, "viewer");
    await adminCaller.members.changeRole({ userId: viewer.userId, role: "analyst" });
    await adminCaller.members.remove({ userId: viewer.userId });
    expect((await owner.members.list()).some((m) => m.userId === viewer.userId)).toBe(false);
  });
});
