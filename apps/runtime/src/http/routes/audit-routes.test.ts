import { exportAuditCsv } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "../../test-support/api-server";
import { call } from "../../test-support/runtime-harness";

let api: ApiServer;
let auditor: string; // audit:read
beforeAll(async () => {
  api = await startApiServer();
  auditor = (await api.key(["audit:read"])).key;
  // Something to read: three role changes and a removal, made over REST.
  const manager = (await api.key(["members:manage"])).key;
  for (const [from, to] of [
    ["editor", "viewer"],
    ["analyst", "viewer"],
    ["viewer", "analyst"],
  ] as const) {
    const member = await api.member(from);
    await call(api.url, "PATCH", `/api/v1/members/${member.userId}`, { key: manager, body: { role: to } });
  }
  const leaving = await api.member("viewer");
  await call(api.url, "DELETE", `/api/v1/members/${leaving.userId}`, { key: manager });
}, 90_000);
afterAll(() => api?.close());

describe("GET /api/v1/audit-log", () => {
  it("pages through the filtered log, newest first, with a cursor", async () => {
    const first = await call(api.url, "GET", "/api/v1/audit-log?action=member.&limit=2", { key: auditor });
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0].action).toBe("member.remove");
    expect(first.body.nextCursor).toBe(first.body.entries[1].id);
    const second = await call(
      api.url,
      "GET",
      `/api/v1/audit-log?action=member.&limit=2&cursor=${first.body.nextCursor}`,
      {
        key: auditor,
      },
    );
    expect(second.body.entries.map((e: { action: string }) => e.action)).toEqual([
      "member.change_role",
      "member.change_role",
    ]);
    expect(second.body.nextCursor).toBeNull();
    const byType = await call(api.url, "GET", "/api/v1/audit-log?targetType=tenant", { key: auditor });
    expect(byType.body.entries.map((e: { action: string }) => e.action)).toEqual(["tenant.create"]);
    const future = await call(api.url, "GET", "/api/v1/audit-log?from=2999-01-01T00:00:00Z", {
      key: auditor,
    });
    expect(future.body.entries).toEqual([]);
  });

  it("streams the same rows as the studio's CSV export, on Accept: text/csv or format=csv", async () => {
    const studioCsv = await exportAuditCsv(api.owner, { action: "member." });
    const requests: { path: string; headers: Record<string, string> }[] = [
      { path: "/api/v1/audit-log?action=member.&format=csv", headers: {} },
      { path: "/api/v1/audit-log?action=member.", headers: { accept: "text/csv" } },
    ];
    for (const request of requests) {
      const response = await fetch(`${api.url}${request.path}`, {
        headers: { authorization: `Bearer ${auditor}`, ...request.headers },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/csv");
      expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="audit-.*\.csv"/);
      const csv = await response.text();
      expect(csv).toBe(studioCsv);
      const lines = csv.trimEnd().split("\r\n");
      expect(lines[0]).toBe("time,actor_type,actor,actor_id,action,target_type,target_id,before,after,ip");
      expect(lines).toHaveLength(5);
      expect(lines[1]).toContain("member.remove");
    }
  });

  it("refuses keys without audit:read, for JSON and CSV alike (403 problem+json)", async () => {
    const other = (await api.key(["bots:read", "members:read"])).key;
    for (const path of ["/api/v1/audit-log", "/api/v1/audit-log?format=csv"]) {
      const refused = await call(api.url, "GET", path, { key: other });
      expect(refused.status).toBe(403);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.body.detail).toContain("audit:read");
    }
  });

  it("names the bad query parameter", async () => {
    const cases: [string, string][] = [
      ["limit=0", "query.limit"],
      ["from=yesterday", "query.from"],
      ["format=xml", "query.format"],
    ];
    for (const [query, field] of cases) {
      const bad = await call(api.url, "GET", `/api/v1/audit-log?${query}`, { key: auditor });
      expect(bad.status, query).toBe(400);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
    }
    const unknown = await call(api.url, "GET", "/api/v1/audit-log?actor=me", { key: auditor });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain("actor");
    const cursor = await call(api.url, "GET", "/api/v1/audit-log?cursor=nope", { key: auditor });
    expect(cursor.status).toBe(422);
    expect(cursor.body.errors.map((e: { path: string }) => e.path)).toEqual(["cursor"]);
  });
});
