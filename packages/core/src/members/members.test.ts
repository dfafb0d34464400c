import { memoryMailer } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../access/roles";
import type { CoreDeps, ServiceContext } from "../context";
import { createUser } from "../tenants/tenants";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { inviteMember, listInvitations, revokeInvitation } from "./invitations";
import { changeMemberRole, listMembers, removeMember } from "./members";

let harness: Harness;
let deps: CoreDeps;
const mailer = memoryMailer();
beforeAll(async () => {
  harness = await createHarness();
  deps = { ...harness.deps, mailer, studioUrl: "http://studio.test" };
}, 60_000);
afterAll(() => harness?.cleanup());

let counter = 0;
async function tenantWithMembers() {
  const seed = await seedTenant(deps);
  const member = async (role: Role) => {
    const user = await createUser(deps, {
      email: `${role}-${counter++}-${Date.now()}@example.com`,
      name: role,
    });
    await deps.db.system.membership.create({ data: { tenantId: seed.tenant.id, userId: user.id, role } });
    const ctx: ServiceContext = {
      deps,
      tenantId: seed.tenant.id,
      actor: { type: "user", userId: user.id, role, label: user.email },
    };
    return { userId: user.id, email: user.email, ctx };
  };
  const asKey = (scopes: string[]): ServiceContext => ({
    deps,
    tenantId: seed.tenant.id,
    actor: { type: "api_key", keyId: seed.apiKey.id, scopes, label: "key (sk_test...)" },
  });
  return { ...seed, owner: { ...seed.owner, ctx: { ...seed.ctx, deps } }, member, asKey };
}

describe("members", () => {
  it("lists owners first and needs members:read", async () => {
    const t = await tenantWithMembers();
    const viewer = await t.member("viewer");
    await t.member("admin");
    expect((await listMembers(viewer.ctx)).map((m) => m.role)).toEqual(["owner", "admin", "viewer"]);
    expect((await rejection(listMembers(t.asKey(["bots:read"])))).kind).toBe("forbidden");
  });

  it("changes roles within the actor's reach and keeps the last owner", async () => {
    const t = await tenantWithMembers();
    const admin = await t.member("admin");
    const editor = await t.member("editor");
    expect(await changeMemberRole(admin.ctx, editor.userId, { role: "analyst" })).toMatchObject({
      role: "analyst",
    });
    expect((await rejection(changeMemberRole(admin.ctx, editor.userId, { role: "owner" }))).kind).toBe(
      "forbidden",
    );
    expect((await rejection(changeMemberRole(admin.ctx, t.owner.id, { role: "viewer" }))).kind).toBe(
      "forbidden",
    );
    expect((await rejection(changeMemberRole(t.owner.ctx, t.owner.id, { role: "admin" }))).code).toBe(
      "last-owner",
    );
    expect((await rejection(removeMember(t.owner.ctx, t.owner.id))).code).toBe("last-owner");
    expect((await rejection(changeMemberRole(editor.ctx, admin.userId, { role: "viewer" }))).kind).toBe(
      "forbidden",
    );
    const bad = await rejection(changeMemberRole(t.owner.ctx, editor.userId, { role: "king" as Role }));
    expect(bad.details.errors?.map((e) => e.path)).toEqual(["role"]);
    expect((await rejection(removeMember(t.owner.ctx, "not-a-uuid"))).code).toBe("member-not-found");
  });

  it("lets a key with members:manage act as an admin at most; * does not include it", async () => {
    const t = await tenantWithMembers();
    const viewer = await t.member("viewer");
    const manager = t.asKey(["members:manage"]);
    await changeMemberRole(manager, viewer.userId, { role: "editor" });
    expect((await rejection(changeMemberRole(manager, viewer.userId, { role: "owner" }))).kind).toBe(
      "forbidden",
    );
    expect((await rejection(removeMember(manager, t.owner.id))).kind).toBe("forbidden");
    expect((await rejection(removeMember(t.asKey(["*"]), viewer.userId))).kind).toBe("forbidden");
    await removeMember(manager, viewer.userId);
    const audit = await deps.db.forTenant(t.tenant.id).auditLogEntry.findMany({
      where: { targetId: viewer.userId },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((row) => [row.action, row.actorType, row.actorId])).toEqual([
      ["member.change_role", "api_key", t.apiKey.id],
      ["member.remove", "api_key", t.apiKey.id],
    ]);
  });
});

describe("invitations", () => {
  it("mails a single link, lists it as pending, and revokes it", async () => {
    const t = await tenantWithMembers();
    const invitation = await inviteMember(t.owner.ctx, { email: "New.Person@Example.com", role: "editor" });
    expect(invitation).toMatchObject({ email: "new.person@example.com", role: "editor" });
    const mail = mailer.sent.at(-1);
    expect(mail?.to).toBe("new.person@example.com");
    expect(mail?.text).toMatch(/http:\/\/studio\.test\/invitation\?token=sk_/);
    const stored = await deps.db.system.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(mail?.text).not.toContain(stored.tokenHash);
    expect((await listInvitations(t.owner.ctx)).map((i) => i.id)).toEqual([invitation.id]);
    await revokeInvitation(t.owner.ctx, invitation.id);
    expect(await listInvitations(t.owner.ctx)).toEqual([]);
  });

  it("refuses members, roles above the actor's, and a process without mail", async () => {
    const t = await tenantWithMembers();
    const admin = await t.member("admin");
    expect((await rejection(inviteMember(t.owner.ctx, { email: admin.email, role: "viewer" }))).code).toBe(
      "already-member",
    );
    expect((await rejection(inviteMember(admin.ctx, { email: "x@example.com", role: "owner" }))).kind).toBe(
      "forbidden",
    );
    const noMail: ServiceContext = { ...t.owner.ctx, deps: harness.deps };
    expect((await rejection(inviteMember(noMail, { email: "y@example.com", role: "viewer" }))).code).toBe(
      "mail-not-configured",
    );
  });

  it("does not list expired invitations", async () => {
    const t = await tenantWithMembers();
    await inviteMember(t.owner.ctx, { email: "late@example.com", role: "viewer" });
    const later: ServiceContext = {
      ...t.owner.ctx,
      deps: { ...deps, clock: { now: () => Date.now() + 8 * 24 * 60 * 60 * 1000 } },
    };
    expect(await listInvitations(later)).toEqual([]);
  });
});
