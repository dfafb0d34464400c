import { memoryMailer } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps } from "../context";
import { inviteMember } from "../members/invitations";
import { createUser } from "../tenants/tenants";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { acceptInvitation, describeInvitation } from "./invitation-acceptance";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { createSession, resolveSession, revokeSession } from "./sessions";
import { signIn } from "./sign-in";
import { confirmSignUp, signUp } from "./sign-up";
import { createOwnedWorkspace, switchWorkspace } from "./workspaces";

let harness: Harness;
let deps: CoreDeps;
const mailer = memoryMailer();
const request = { ipAddress: "203.0.113.9", userAgent: "vitest" };
beforeAll(async () => {
  harness = await createHarness();
  deps = { ...harness.deps, mailer, studioUrl: "http://studio.test" };
}, 60_000);
afterAll(() => harness?.cleanup());

let counter = 0;
const address = (label: string) => `${label}-${counter++}-${Date.now()}@example.com`;
const tokenIn = (text: string | undefined, path: string) =>
  decodeURIComponent(new RegExp(`${path}\\?token=(\\S+)`).exec(text ?? "")?.[1] ?? "");

describe("accounts", () => {
  it("signs up through the e-mailed link, then signs in with the right password only", async () => {
    const email = address("ada");
    const now = new Date();
    await signUp(deps, { email, name: "Ada", password: "analytical engine", now, request });
    expect(await deps.db.system.user.findUnique({ where: { email } })).toBeNull();
    const token = tokenIn(mailer.sent.filter((m) => m.to === email).at(-1)?.text, "verify-email");
    const { userId, tenantId } = await confirmSignUp(deps, { token, now });
    expect((await rejection(confirmSignUp(deps, { token, now }))).code).toBe("sign-up-link-invalid");
    expect(await signIn(deps, { email, password: "analytical engine", now: new Date(), request })).toEqual({
      step: "done",
      userId,
    });
    const wrong = await rejection(signIn(deps, { email, password: "nope nope", now: new Date(), request }));
    const unknown = await rejection(
      signIn(deps, { email: address("nobody"), password: "nope nope", now: new Date(), request }),
    );
    expect([wrong.code, unknown.code]).toEqual(["bad-credentials", "bad-credentials"]);
    expect(wrong.message).toBe(unknown.message);
    const audit = await deps.db
      .forTenant(tenantId)
      .auditLogEntry.findMany({ where: { action: { startsWith: "auth." } } });
    expect(audit.map((row) => row.action).sort()).toEqual(["auth.sign_in", "auth.sign_in_failed"]);
  });

  it("resolves and revokes sessions by token, storing only a hash", async () => {
    const user = await createUser(deps, { email: address("s"), name: "S", password: "long enough" });
    const now = new Date();
    const session = await createSession(deps, {
      userId: user.id,
      activeTenantId: null,
      ipAddress: null,
      userAgent: null,
      now,
    });
    expect((await resolveSession(deps, session.token, now))?.user.id).toBe(user.id);
    const stored = await deps.db.system.studioSession.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(stored.tokenHash).not.toBe(session.token);
    await revokeSession(deps, session.sessionId, now);
    expect(await resolveSession(deps, session.token, now)).toBeNull();
    expect(await resolveSession(deps, "not-a-session", now)).toBeNull();
  });

  it("resets a password once with the mailed token, revoking every session", async () => {
    const email = address("reset");
    const user = await createUser(deps, { email, name: "R", password: "old password" });
    const now = new Date();
    const session = await createSession(deps, {
      userId: user.id,
      activeTenantId: null,
      ipAddress: null,
      userAgent: null,
      now,
    });
    await requestPasswordReset(deps, { email, now, request });
    await requestPasswordReset(deps, { email: address("ghost"), now, request });
    const token = tokenIn(mailer.sent.filter((m) => m.to === email).at(-1)?.text, "reset-password");
    await resetPassword(deps, { token, password: "new password!", now, request });
    expect(await resolveSession(deps, session.token, now)).toBeNull();
    expect(
      (await rejection(resetPassword(deps, { token, password: "again again", now, request }))).code,
    ).toBe("reset-link-invalid");
    await signIn(deps, { email, password: "new password!", now, request });
  });

  it("accepts an invitation: a new account joins; an existing one must sign in as the invitee", async () => {
    const seed = await seedTenant(deps);
    const ctx = { ...seed.ctx, deps };
    const newcomer = address("newcomer");
    await inviteMember(ctx, { email: newcomer, role: "editor" });
    const token = tokenIn(mailer.sent.filter((m) => m.to === newcomer).at(-1)?.text, "invitation");
    expect(await describeInvitation(deps, token, new Date())).toMatchObject({
      role: "editor",
      userExists: false,
    });
    expect((await rejection(acceptInvitation(deps, { token, now: new Date() }))).code).toBe("invalid-input");
    const joined = await acceptInvitation(deps, {
      token,
      name: "New",
      password: "editor password",
      now: new Date(),
    });
    expect(joined.tenantId).toBe(seed.tenant.id);
    expect((await rejection(describeInvitation(deps, token, new Date()))).code).toBe("invitation-invalid");

    const existing = await createUser(deps, {
      email: address("existing"),
      name: "E",
      password: "long enough",
    });
    await inviteMember(ctx, { email: existing.email, role: "viewer" });
    const second = tokenIn(mailer.sent.filter((m) => m.to === existing.email).at(-1)?.text, "invitation");
    expect((await rejection(acceptInvitation(deps, { token: second, now: new Date() }))).code).toBe(
      "sign-in-first",
    );
    const other = await rejection(
      acceptInvitation(deps, { token: second, userId: joined.userId, now: new Date() }),
    );
    expect(other.code).toBe("invitation-other-user");
    await acceptInvitation(deps, { token: second, userId: existing.id, now: new Date() });
  });

  it("switches only into the user's workspaces; only owners create more", async () => {
    const seed = await seedTenant(deps);
    const stranger = await createUser(deps, {
      email: address("stranger"),
      name: "X",
      password: "long enough",
    });
    const now = new Date();
    const session = await createSession(deps, {
      userId: stranger.id,
      activeTenantId: null,
      ipAddress: null,
      userAgent: null,
      now,
    });
    const refused = await rejection(
      switchWorkspace(deps, {
        sessionId: session.sessionId,
        user: stranger,
        tenantId: seed.tenant.id,
        request,
      }),
    );
    expect(refused.kind).toBe("not_found");
    expect(
      (
        await rejection(
          createOwnedWorkspace(deps, { sessionId: session.sessionId, userId: stranger.id, name: "Mine" }),
        )
      ).kind,
    ).toBe("forbidden");
  });
});
