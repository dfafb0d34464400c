import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const pizza = () =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** The pizza flow with its first message changed (a new, valid document). */
function withGreeting(document: Record<string, unknown>, text: string): Record<string, unknown> {
  const copy = structuredClone(document) as { nodes: { kind: string; data: Record<string, unknown> }[] };
  const message = copy.nodes.find((node) => node.kind === "message");
  if (!message) throw new Error("the pizza flow has no message node");
  message.data.text = text;
  return copy as unknown as Record<string, unknown>;
}

/** The flow version lifecycle over real HTTP: list, fetch one, roll back; other tenants see nothing. */
describe("REST API v1: flow versions", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let other: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    t = await startTestRuntime("postgres+redis");
    seed = await seedBot(t.runtime, pizza());
    other = await seedBot(t.runtime, pizza());
  }, 90_000);
  afterAll(() => t?.cleanup(), 30_000);

  const flowPath = (flowId: string) => `/api/v1/flows/${flowId}`;

  it("documents the operations in the OpenAPI document", async () => {
    const { body } = await call(t.url, "GET", "/api/v1/openapi.json");
    const one = body.paths["/api/v1/flows/{flowId}/versions/{version}"].get;
    expect(one.operationId).toBe("getFlowVersion");
    expect(one.parameters.map((p: { name: string }) => p.name)).toEqual(["flowId", "version"]);
    const rollback = body.paths["/api/v1/flows/{flowId}/versions/{version}/rollback"].post;
    expect(rollback.operationId).toBe("rollbackFlow");
    expect(Object.keys(rollback.responses)).toEqual(expect.arrayContaining(["201", "404", "409"]));
  });

  it("lists versions, fetches one with its document, and rolls back to it", async () => {
    const flow = await call(t.url, "GET", flowPath(seed.flow.id), { key: seed.key });
    const saved = await call(t.url, "PUT", `${flowPath(seed.flow.id)}/draft`, {
      key: seed.key,
      body: {
        document: withGreeting(flow.body.draft, "Version two"),
        expectedRevision: flow.body.draftRevision,
      },
    });
    expect(saved.status).toBe(200);
    const v2 = await call(t.url, "POST", `${flowPath(seed.flow.id)}/publish`, {
      key: seed.key,
      body: { note: "two" },
    });
    expect(v2.status).toBe(201);

    const list = await call(t.url, "GET", `${flowPath(seed.flow.id)}/versions`, { key: seed.key });
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    // v1 was published by the seeding owner, v2 by an API key (no person).
    expect(list.body.items[1].publishedBy).toEqual({ id: seed.owner.id, name: "Owner" });
    expect(list.body.items[0].publishedBy).toBeNull();

    const one = await call(t.url, "GET", `${flowPath(seed.flow.id)}/versions/1`, { key: seed.key });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ version: 1, flowId: seed.flow.id, status: "published" });
    expect(JSON.stringify(one.body.document)).not.toContain("Version two");

    const rolled = await call(t.url, "POST", `${flowPath(seed.flow.id)}/versions/1/rollback`, {
      key: seed.key,
      body: { expectedRevision: saved.body.flow.draftRevision, note: "back to the first" },
    });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({ version: 3, note: "back to the first", status: "published" });
    const after = await call(t.url, "GET", flowPath(seed.flow.id), { key: seed.key });
    expect(after.body.publishedVersionId).toBe(rolled.body.id);
    expect(after.body.draft).toEqual(one.body.document);

    // Without a body it still works (the note defaults).
    const again = await call(t.url, "POST", `${flowPath(seed.flow.id)}/versions/2/rollback`, {
      key: seed.key,
    });
    expect(again.status).toBe(201);
    expect(again.body.note).toBe("Rollback to version 2");
  });

  it("refuses a rollback over a newer draft with 409 problem+json", async () => {
    const stale = await call(t.url, "POST", `${flowPath(seed.flow.id)}/versions/1/rollback`, {
      key: seed.key,
      body: { expectedRevision: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toContain("application/problem+json");
    expect(stale.body.code).toBe("draft-conflict");
  });

  it("answers 404 problem+json for foreign, unknown and malformed ids, and 400 for a bad version", async () => {
    const cases: [string, string][] = [
      ["GET", `${flowPath(other.flow.id)}/versions`],
      ["GET", `${flowPath(other.flow.id)}/versions/1`],
      ["POST", `${flowPath(other.flow.id)}/versions/1/rollback`],
      ["GET", `${flowPath(seed.flow.id)}/versions/99`],
      ["POST", `${flowPath(seed.flow.id)}/versions/99/rollback`],
      ["GET", `${flowPath("00000000-0000-7000-8000-000000000000")}/versions/1`],
      ["GET", `${flowPath("not-a-flow")}/versions/1`],
    ];
    for (const [method, path] of cases) {
      const response = await call(t.url, method, path, { key: seed.key });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get("content-type"), path).toContain("application/problem+json");
      expect(response.body.code, path).toMatch(/^flow(-version)?-not-found$/);
      expect(JSON.stringify(response.body), path).not.toContain("Owner");
    }
    // The other tenant's flow is untouched.
    const theirs = await call(t.url, "GET", `${flowPath(other.flow.id)}/versions`, { key: other.key });
    expect(theirs.body.items.map((v: { version: number }) => v.version)).toEqual([1]);

    const bad = await call(t.url, "GET", `${flowPath(seed.flow.id)}/versions/first`, { key: seed.key });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("params.version");
  });

  it("requires the scopes: flows:read to read, flows:publish and flows:write to roll back", async () => {
    const reader = await seedBot(t.runtime, pizza(), { scopes: ["flows:read"] });
    const read = await call(t.url, "GET", `${flowPath(reader.flow.id)}/versions/1`, { key: reader.key });
    expect(read.status).toBe(200);
    const refused = await call(t.url, "POST", `${flowPath(reader.flow.id)}/versions/1/rollback`, {
      key: reader.key,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
  });
});
