import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "../../test-support/api-server";
import { call, seedBot } from "../../test-support/runtime-harness";

const pizza = JSON.parse(
  readFileSync(new URL("../../../../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
);

let api: ApiServer;
let seeded: Awaited<ReturnType<typeof seedBot>>;
let reader: string;
beforeAll(async () => {
  api = await startApiServer();
  seeded = await seedBot(api, pizza);
  const { createApiKey } = await import("@parley/core");
  reader = (await createApiKey(seeded.ctx, { name: "reader", scopes: ["conversations:read"] })).key;
}, 90_000);
afterAll(() => api?.close());

async function chat(userId: string, name: string, words: string) {
  const started = await call(api.url, "POST", `/api/v1/bots/${seeded.bot.id}/conversations`, {
    key: seeded.key,
    body: { user: { id: userId, name } },
  });
  expect(started.status).toBe(201);
  const id = started.body.conversationId as string;
  expect(
    (
      await call(api.url, "POST", `/api/v1/conversations/${id}/messages`, {
        key: seeded.key,
        body: { text: words },
      })
    ).status,
  ).toBe(200);
  return id;
}

describe("conversations, results and contacts over REST", () => {
  it("searches, reads a transcript with variables and path, and exports results", async () => {
    const id = await chat("rest-1", "Rosalind", "Rosalind Franklin");
    await chat("rest-2", "Other", "Someone");
    const found = await call(
      api.url,
      "GET",
      `/api/v1/bots/${seeded.bot.id}/conversations?q=franklin&state=active`,
      {
        key: reader,
      },
    );
    expect(found.status).toBe(200);
    expect(found.body.items.map((item: { conversationId: string }) => item.conversationId)).toEqual([id]);
    expect(found.body.items[0]).toMatchObject({ contactName: "Rosalind", state: "active", flowVersion: 1 });

    const transcript = await call(api.url, "GET", `/api/v1/conversations/${id}`, { key: reader });
    expect(transcript.body.variables).toMatchObject({ customerName: "Rosalind Franklin" });
    expect(transcript.body.path[0]).toMatchObject({ nodeId: "start", turn: 1 });

    const bad = await call(api.url, "GET", `/api/v1/bots/${seeded.bot.id}/conversations?state=sleeping`, {
      key: reader,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");

    const results = await call(api.url, "GET", `/api/v1/bots/${seeded.bot.id}/results?columns=customerName`, {
      key: reader,
    });
    expect(results.body.columns).toEqual(["customerName"]);
    expect(results.body.items.length).toBe(2);
    const csv = await fetch(`${api.url}/api/v1/bots/${seeded.bot.id}/results?format=csv`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain("Rosalind Franklin");
    const xlsx = await fetch(`${api.url}/api/v1/bots/${seeded.bot.id}/results`, {
      headers: {
        authorization: `Bearer ${reader}`,
        accept: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      },
    });
    expect(xlsx.status).toBe(200);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
  }, 60_000);

  it("lists, edits, merges, exports and erases contacts with the right permissions", async () => {
    await chat("merge-a", "Grace", "Grace");
    await chat("merge-b", "Grace H", "Grace Hopper");
    const listed = await call(api.url, "GET", "/api/v1/contacts?q=grace", { key: reader });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const [b, a] = listed.body.items as { id: string; name: string }[];
    expect([a!.name, b!.name]).toEqual(["Grace", "Grace H"]);

    const refused = await call(api.url, "PATCH", `/api/v1/contacts/${a!.id}`, {
      key: reader,
      body: { email: "grace@example.com" },
    });
    expect(refused.status).toBe(403);
    const invalid = await call(api.url, "PATCH", `/api/v1/contacts/${a!.id}`, {
      key: seeded.key,
      body: { email: "not an address" },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.errors)).toContain("email");
    const edited = await call(api.url, "PATCH", `/api/v1/contacts/${a!.id}`, {
      key: seeded.key,
      body: { email: "grace@example.com", phone: "+1 555 0100" },
    });
    expect(edited.body).toMatchObject({ email: "grace@example.com", phone: "+1 555 0100" });

    const merged = await call(api.url, "POST", `/api/v1/contacts/${a!.id}/merge`, {
      key: seeded.key,
      body: { sourceContactId: b!.id },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual([
      "merge-a",
      "merge-b",
    ]);
    expect(merged.body.conversations).toHaveLength(2);
    expect((await call(api.url, "GET", `/api/v1/contacts/${b!.id}`, { key: reader })).status).toBe(404);

    const exported = await call(api.url, "GET", `/api/v1/contacts/${a!.id}/export`, { key: reader });
    expect(exported.body.contact.email).toBe("grace@example.com");
    expect(JSON.stringify(exported.body.conversations)).toContain("Grace Hopper");

    const erased = await call(api.url, "DELETE", `/api/v1/contacts/${a!.id}`, { key: seeded.key });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ erased: true, conversations: 2, identities: 2 });
    expect((await call(api.url, "GET", `/api/v1/contacts/${a!.id}`, { key: reader })).status).toBe(404);
  }, 60_000);
});
