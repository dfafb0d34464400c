import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "../../test-support/api-server";
import { call } from "../../test-support/runtime-harness";

let api: ApiServer;
let manager: string; // members:read + members:manage
let reader: string; // members:read
let everything: string; // *
beforeAll(async () => {
  api = await startApiServer();
  manager = (await api.key(["members:read", "members:manage"])).key;
  reader = (await api.key(["members:read"])).key;
  everything = (await api.key(["*"])).key;
}, 90_000);
afterAll(() => api?.close());

const problemOf = (response: { status: number; headers: Headers; body: unknown }, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  return response.body as { code: string; detail: string; errors?: { path: string; message: string }[] };
};

describe("members over REST", () => {
  it("lists members (owners first) with members:read, also with *", async () => {
    const viewer = await api.member("viewer");
    const listed = await call(api.url, "GET", "/api/v1/members", { key: reader });
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toMatchObject({
      userId: api.owner.actor.type === "user" && api.owner.actor.userId,
      role: "owner",
    });
    expect(listed.body.items.map((m: { userId: string }) => m.userId)).toContain(viewer.userId);
    expect((await call(api.url, "GET", "/api/v1/members", { key: everything })).status).toBe(200);
  });

  it("changes a role and removes a member with members:manage, audited as the key", async () => {
    const editor = await api.member("editor");
    const changed = await call(api.url, "PATCH", `/api/v1/members/${editor.userId}`, {
      key: manager,
      body: { role: "viewer" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ userId: editor.userId, role: "viewer" });
    expect((await call(api.url, "DELETE", `/api/v1/members/${editor.userId}`, { key: manager })).status).toBe(
      204,
    );
    const rows = await api.testDb.db.system.auditLogEntry.findMany({
      where: { targetId: editor.userId },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => [r.action, r.actorType])).toEqual([
      ["member.change_role", "api_key"],
      ["member.remove", "api_key"],
    ]);
    const gone = problemOf(
      await call(api.url, "DELETE", `/api/v1/members/${editor.userId}`, { key: manager }),
      404,
    );
    expect(gone.code).toBe("member-not-found");
  });

  it("never lets a key make, unmake or remove an owner; the refusal is 403 problem+json", async () => {
    const admin = await api.member("admin");
    const ownerId = api.owner.actor.type === "user" ? api.owner.actor.userId : "";
    const promote = await call(api.url, "PATCH", `/api/v1/members/${admin.userId}`, {
      key: manager,
      body: { role: "owner" },
    });
    expect(problemOf(promote, 403).detail).toMatch(/owner/);
    problemOf(
      await call(api.url, "PATCH", `/api/v1/members/${ownerId}`, { key: manager, body: { role: "viewer" } }),
      403,
    );
    problemOf(await call(api.url, "DELETE", `/api/v1/members/${ownerId}`, { key: manager }), 403);
    problemOf(
      await call(api.url, "POST", "/api/v1/invitations", {
        key: manager,
        body: { email: "boss@example.com", role: "owner" },
      }),
      403,
    );
  });

  it("refuses member management to keys without members:manage, even *", async () => {
    const viewer = await api.member("viewer");
    for (const key of [reader, everything]) {
      const refused = problemOf(
        await call(api.url, "PATCH", `/api/v1/members/${viewer.userId}`, { key, body: { role: "analyst" } }),
        403,
      );
      expect(refused.detail).toContain("members:manage");
    }
    const none = (await api.key(["bots:read"])).key;
    problemOf(await call(api.url, "GET", "/api/v1/members", { key: none }), 403);
  });

  it("names the bad field of a bad body", async () => {
    const viewer = await api.member("viewer");
    const badRole = problemOf(
      await call(api.url, "PATCH", `/api/v1/members/${viewer.userId}`, {
        key: manager,
        body: { role: "king" },
      }),
      400,
    );
    expect(badRole.errors?.map((e) => e.path)).toEqual(["role"]);
    const extra = problemOf(
      await call(api.url, "POST", "/api/v1/invitations", {
        key: manager,
        body: { email: "x@example.com", role: "viewer", note: 1 },
      }),
      400,
    );
    expect(extra.detail).toContain("note");
    const badEmail = problemOf(
      await call(api.url, "POST", "/api/v1/invitations", {
        key: manager,
        body: { email: "nope", role: "viewer" },
      }),
      400,
    );
    expect(badEmail.errors?.map((e) => e.path)).toEqual(["email"]);
  });
});

describe("invitations over REST", () => {
  it("invites (mailing a studio link), lists and revokes", async () => {
    const email = `Invitee-${Date.now()}@Example.com`;
    const invited = await call(api.url, "POST", "/api/v1/invitations", {
      key: manager,
      body: { email, role: "editor" },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: email.toLowerCase(), role: "editor" });
    const mail = api.mailer.sent.find((m) => m.to === email.toLowerCase());
    expect(mail?.text).toMatch(/http:\/\/studio\.test\/invitation\?token=\S+/);
    expect(mail?.text).toContain("sk_"); // the inviter is the key (its label names its prefix)

    const listed = await call(api.url, "GET", "/api/v1/invitations", { key: reader });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(invited.body.id);
    expect(
      (await call(api.url, "DELETE", `/api/v1/invitations/${invited.body.id}`, { key: manager })).status,
    ).toBe(204);
    const after = await call(api.url, "GET", "/api/v1/invitations", { key: reader });
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(invited.body.id);
    const unknown = problemOf(
      await call(api.url, "DELETE", "/api/v1/invitations/0190f3a1-0000-7000-8000-000000000000", {
        key: manager,
      }),
      404,
    );
    expect(unknown.code).toBe("invitation-not-found");
  });

  it("refuses to invite someone who is already a member (409)", async () => {
    const viewer = await api.member("viewer");
    const conflict = problemOf(
      await call(api.url, "POST", "/api/v1/invitations", {
        key: manager,
        body: { email: viewer.email, role: "editor" },
      }),
      409,
    );
    expect(conflict.code).toBe("already-member");
  });
});
