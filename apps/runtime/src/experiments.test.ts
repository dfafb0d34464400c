import { readFileSync } from "node:fs";
import { createApiKey, experimentResults, type ServiceContext, startExperiment } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  type JsonBody,
  seedBot,
  startTestRuntime,
  type TestRuntime,
} from "./test-support/runtime-harness";

const pizza = () =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** The pizza flow with another greeting (variant B's version). */
function withGreeting(document: Record<string, unknown>, text: string): Record<string, unknown> {
  const copy = structuredClone(document) as { nodes: { id: string; data: Record<string, unknown> }[] };
  const greeting = copy.nodes.find((node) => node.id === "greeting");
  if (!greeting) throw new Error("the pizza flow has no greeting");
  greeting.data.text = text;
  return copy as unknown as Record<string, unknown>;
}

/** A flow whose ab-split node would send everybody down `a` by itself (weights 100/0). */
const splitFlow = () => ({
  version: 1,
  id: "split-flow",
  name: "Split",
  variables: [{ name: "note", type: "string" }],
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "split",
      kind: "ab-split",
      position: { x: 0, y: 100 },
      data: {
        variants: [
          { id: "a", weight: 100 },
          { id: "b", weight: 0 },
        ],
      },
    },
    { id: "say-a", kind: "message", position: { x: 0, y: 200 }, data: { text: "Branch A" } },
    { id: "say-b", kind: "message", position: { x: 200, y: 200 }, data: { text: "Branch B" } },
    {
      id: "ask",
      kind: "ask",
      position: { x: 0, y: 300 },
      data: { prompt: "Anything else?", input: { type: "text" }, saveTo: "note" },
    },
    { id: "done", kind: "end", position: { x: 0, y: 400 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "split" },
    { id: "e2", source: "split", sourceHandle: "a", target: "say-a" },
    { id: "e3", source: "split", sourceHandle: "b", target: "say-b" },
    { id: "e4", source: "say-a", sourceHandle: "next", target: "ask" },
    { id: "e5", source: "say-b", sourceHandle: "next", target: "done" },
    { id: "e6", source: "ask", sourceHandle: "next", target: "done" },
    { id: "e7", source: "ask", sourceHandle: "error", target: "done" },
  ],
});

const texts = (body: JsonBody): string[] =>
  (body.messages as { text?: string }[]).flatMap((message) => (message.text ? [message.text] : []));

/** A/B experiments over real HTTP: create, start, assign, count a node goal, results, promote, roles. */
describe("REST API v1: experiments", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let versionA: string;
  let versionB: string;

  beforeAll(async () => {
    t = await startTestRuntime("postgres+redis");
    seed = await seedBot(t.runtime, pizza());
    const flow = await call(t.url, "GET", `/api/v1/flows/${seed.flow.id}`, { key: seed.key });
    versionA = flow.body.publishedVersionId;
    await call(t.url, "PUT", `/api/v1/flows/${seed.flow.id}/draft`, {
      key: seed.key,
      body: {
        document: withGreeting(flow.body.draft, "Hello from B!"),
        expectedRevision: flow.body.draftRevision,
      },
    });
    const published = await call(t.url, "POST", `/api/v1/flows/${seed.flow.id}/publish`, {
      key: seed.key,
      body: {},
    });
    versionB = published.body.id;
  }, 120_000);
  afterAll(() => t?.cleanup(), 30_000);

  const experimentBody = () => ({
    name: "Greeting test",
    variants: [
      { key: "control", weight: 1, flowVersionId: versionA },
      { key: "b", weight: 1, flowVersionId: versionB },
    ],
    goal: { type: "node", nodeId: "order-placed" },
  });

  it("refuses bad designs with problem+json naming each field", async () => {
    const path = `/api/v1/bots/${seed.bot.id}/experiments`;
    const one = await call(t.url, "POST", path, {
      key: seed.key,
      body: { ...experimentBody(), variants: [{ key: "control", weight: 1, flowVersionId: versionA }] },
    });
    // Shape problems are refused by the route's schema (400), design problems by core (422).
    expect(one.status).toBe(400);
    expect(one.headers.get("content-type")).toContain("application/problem+json");
    expect(one.body.errors).toEqual([
      { path: "variants", message: "an experiment needs at least 2 variants" },
    ]);

    const zero = await call(t.url, "POST", path, {
      key: seed.key,
      body: {
        ...experimentBody(),
        variants: [{ key: "control", weight: 0, flowVersionId: versionA }, experimentBody().variants[1]],
      },
    });
    expect(zero.status).toBe(400);
    expect(zero.body.errors[0].path).toBe("variants.0.weight");

    const duplicate = await call(t.url, "POST", path, {
      key: seed.key,
      body: {
        ...experimentBody(),
        variants: [experimentBody().variants[0], { ...experimentBody().variants[1], key: "control" }],
      },
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors[0].path).toBe("variants.1.key");

    const foreign = await call(t.url, "POST", path, {
      key: seed.key,
      body: {
        ...experimentBody(),
        variants: [
          experimentBody().variants[0],
          { key: "b", weight: 1, flowVersionId: "00000000-0000-7000-8000-000000000000" },
        ],
      },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0]).toMatchObject({ path: "variants.1.flowVersionId" });
    expect(foreign.body.errors[0].message).toContain("not a published version");

    const goal = await call(t.url, "POST", path, {
      key: seed.key,
      body: { ...experimentBody(), goal: { type: "node", nodeId: "nowhere" } },
    });
    expect(goal.status).toBe(422);
    expect(goal.body.errors[0].path).toBe("goal.nodeId");

    const noSplit = await call(t.url, "POST", path, {
      key: seed.key,
      body: {
        ...experimentBody(),
        variants: [
          { key: "a", weight: 1 },
          { key: "b", weight: 1 },
        ],
      },
    });
    expect(noSplit.status).toBe(422);
    expect(noSplit.body.detail).toContain("no ab-split node");
  });

  it("runs an experiment end to end: assignment, node goal, results, promote", async () => {
    const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/experiments`, {
      key: seed.key,
      body: experimentBody(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), status: "draft" });
    const id = created.body.id as string;

    const renamed = await call(t.url, "PATCH", `/api/v1/experiments/${id}`, {
      key: seed.key,
      body: { name: "Greetings" },
    });
    expect(renamed.body).toMatchObject({ name: "Greetings", status: "draft" });

    const other = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/experiments`, {
      key: seed.key,
      body: { ...experimentBody(), name: "Second" },
    });
    const started = await call(t.url, "POST", `/api/v1/experiments/${id}/start`, { key: seed.key });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe("running");
    const second = await call(t.url, "POST", `/api/v1/experiments/${other.body.id}/start`, { key: seed.key });
    expect(second.status).toBe(409);
    expect(second.body.code ?? second.body.type).toBeDefined();
    expect(second.body.detail).toContain("already runs an experiment");
    const patchRunning = await call(t.url, "PATCH", `/api/v1/experiments/${id}`, {
      key: seed.key,
      body: { name: "x" },
    });
    expect(patchRunning.status).toBe(409);

    // 30 customers: B's customers all order; every third control customer orders.
    const expected = {
      control: { conversations: 0, conversions: 0 },
      b: { conversations: 0, conversions: 0 },
    };
    const variantOfUser = new Map<string, "control" | "b">();
    for (let index = 0; index < 30; index += 1) {
      const user = `customer-${index}`;
      const start = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
        key: seed.key,
        body: { user: { id: user, name: `C${index}` }, channel: "api" },
      });
      expect(start.status).toBe(201);
      const variant = texts(start.body).includes("Hello from B!") ? "b" : "control";
      variantOfUser.set(user, variant);
      expected[variant].conversations += 1;
      const converts = variant === "b" || index % 3 === 0;
      if (!converts) continue;
      const conversation = start.body.conversationId as string;
      for (const text of ["Ann", "small", "+1 415 555 0100"]) {
        const sent = await call(t.url, "POST", `/api/v1/conversations/${conversation}/messages`, {
          key: seed.key,
          body: { text },
        });
        expect(sent.status).toBe(200);
      }
      const after = await call(t.url, "GET", `/api/v1/conversations/${conversation}`, { key: seed.key });
      expect(after.body.status).toBe("ended");
      expected[variant].conversions += 1;
    }
    expect(expected.control.conversations).toBeGreaterThan(3);
    expect(expected.b.conversations).toBeGreaterThan(3);

    // Sticky: a returning customer gets the same variant.
    for (const user of ["customer-0", "customer-1", "customer-2"]) {
      const again = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
        key: seed.key,
        body: { user: { id: user }, channel: "api" },
      });
      const variant = texts(again.body).includes("Hello from B!") ? "b" : "control";
      expect(variant).toBe(variantOfUser.get(user));
      expected[variant].conversations += 1;
    }

    // Anonymous visitors (no contact) are sticky per visitor id, and the assignment is written with the
    // conversation row in the first step's transaction (it is there as soon as the start returns).
    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    for (const visitor of [
      "visitor-01",
      "visitor-02",
      "visitor-03",
      "visitor-04",
      "visitor-05",
      "visitor-06",
    ]) {
      const seen = new Set<string>();
      for (let round = 0; round < 2; round += 1) {
        const anonymous = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
          key: seed.key,
          body: { visitorId: visitor, channel: "web" },
        });
        expect(anonymous.status).toBe(201);
        const variant = texts(anonymous.body).includes("Hello from B!") ? "b" : "control";
        const row = await db.conversation.findFirst({ where: { id: anonymous.body.conversationId } });
        expect(row).toMatchObject({ experimentId: id, experimentVariant: variant, contactId: null });
        seen.add(variant);
        expected[variant].conversations += 1;
      }
      expect(seen.size).toBe(1);
    }
    const badVisitor = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: { visitorId: "no spaces allowed", channel: "web" },
    });
    expect(badVisitor.status).toBe(400);

    const results = await call(t.url, "GET", `/api/v1/experiments/${id}/results`, { key: seed.key });
    expect(results.status).toBe(200);
    expect(results.body.status).toBe("running");
    for (const [index, key] of (["control", "b"] as const).entries()) {
      const figures = results.body.variants[index];
      expect(figures).toMatchObject({ key, ...expected[key] });
      expect(figures.rate).toBeCloseTo(expected[key].conversions / expected[key].conversations, 10);
      expect(figures.ci95[0]).toBeLessThanOrEqual(figures.rate);
      expect(figures.ci95[1]).toBeGreaterThanOrEqual(figures.rate);
    }
    // Which customers land in B is random (contact ids), so the test checks the statistics against the
    // counts it made rather than assuming significance: a pooled two-proportion z-test by hand.
    const rate = (c: { conversions: number; conversations: number }) => c.conversions / c.conversations;
    const { control, b } = expected;
    const pooled = (control.conversions + b.conversions) / (control.conversations + b.conversations);
    const z =
      (rate(b) - rate(control)) /
      Math.sqrt(pooled * (1 - pooled) * (1 / control.conversations + 1 / b.conversations));
    expect(results.body.pValue).toBeCloseTo(2 * (1 - standardNormalCdf(Math.abs(z))), 5);
    expect(results.body.probabilityToBeatControl > 0.5).toBe(rate(b) > rate(control));
    // Far below the sample-size hint: no winner yet, however significant.
    expect(results.body.sampleSizeHint).toBeGreaterThan(30);
    expect(results.body.winner).toBeNull();

    const promoted = await call(t.url, "POST", `/api/v1/experiments/${id}/promote`, {
      key: seed.key,
      body: { variantKey: "b" },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.experiment.status).toBe("stopped");
    expect(promoted.body.version).toMatchObject({ version: 3, status: "published" });
    const flow = await call(t.url, "GET", `/api/v1/flows/${seed.flow.id}`, { key: seed.key });
    expect(flow.body.publishedVersionId).toBe(promoted.body.version.id);
    const audit = await t.runtime.deps.db
      .forTenant(seed.tenant.id)
      .auditLogEntry.findMany({ where: { targetId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual([
      "experiment.create",
      "experiment.update",
      "experiment.start",
      "experiment.promote",
    ]);
    // New conversations start on the promoted version, outside any experiment.
    const after = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: { user: { id: "newcomer" }, channel: "api" },
    });
    expect(texts(after.body)).toContain("Hello from B!");
    const row = await t.runtime.deps.db
      .forTenant(seed.tenant.id)
      .conversation.findFirst({ where: { id: after.body.conversationId } });
    expect(row?.experimentId).toBeNull();
    const stopAgain = await call(t.url, "POST", `/api/v1/experiments/${id}/stop`, { key: seed.key });
    expect(stopAgain.status).toBe(409);
  }, 240_000);

  it("steers an ab-split node to the assigned branch on every turn", async () => {
    const split = await seedBot(t.runtime, splitFlow());
    const created = await call(t.url, "POST", `/api/v1/bots/${split.bot.id}/experiments`, {
      key: split.key,
      body: {
        name: "Split",
        variants: [
          { key: "a", weight: 1 },
          { key: "b", weight: 1 },
        ],
        goal: { type: "event", event: "conversation.ended" },
      },
    });
    expect(created.status).toBe(201);
    const view = await call(t.url, "GET", `/api/v1/experiments/${created.body.id}`, { key: split.key });
    expect(view.body.abSplitNodeId).toBe("split");
    const unknownBranch = await call(t.url, "POST", `/api/v1/bots/${split.bot.id}/experiments`, {
      key: split.key,
      body: {
        name: "x",
        variants: [
          { key: "a", weight: 1 },
          { key: "c", weight: 1 },
        ],
        goal: { type: "event", event: "x" },
      },
    });
    expect(unknownBranch.status).toBe(422);
    expect(unknownBranch.body.errors[0]).toMatchObject({ path: "variants.1.key" });

    await call(t.url, "POST", `/api/v1/experiments/${created.body.id}/start`, { key: split.key });
    const seen = { a: 0, b: 0 };
    const db = t.runtime.deps.db.forTenant(split.tenant.id);
    for (let index = 0; index < 16; index += 1) {
      const start = await call(t.url, "POST", `/api/v1/bots/${split.bot.id}/conversations`, {
        key: split.key,
        body: { user: { id: `visitor-${index}` }, channel: "api" },
      });
      const row = await db.conversation.findFirst({ where: { id: start.body.conversationId } });
      const variant = row?.experimentVariant as "a" | "b";
      expect(row?.experimentId).toBe(created.body.id);
      expect(texts(start.body)[0]).toBe(variant === "a" ? "Branch A" : "Branch B");
      seen[variant] += 1;
    }
    // The node's own weights (100/0) would send everyone to A: B's conversations are the experiment's.
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
    const results = await call(t.url, "GET", `/api/v1/experiments/${created.body.id}/results`, {
      key: split.key,
    });
    // B's branch ends at once (converted); A's waits at the ask.
    expect(results.body.variants).toMatchObject([
      { key: "a", conversations: seen.a, conversions: 0 },
      { key: "b", conversations: seen.b, conversions: seen.b },
    ]);

    const promoted = await call(t.url, "POST", `/api/v1/experiments/${created.body.id}/promote`, {
      key: split.key,
      body: { variantKey: "b" },
    });
    expect(promoted.status).toBe(200);
    const fresh = await call(t.url, "POST", `/api/v1/bots/${split.bot.id}/conversations`, {
      key: split.key,
      body: { channel: "api" },
    });
    expect(texts(fresh.body)[0]).toBe("Branch B");
  }, 120_000);

  it("lets analysts and analytics:read keys read, and refuses viewers and changes without flows:publish", async () => {
    const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/experiments`, {
      key: seed.key,
      body: { ...experimentBody(), name: "Roles" },
    });
    const id = created.body.id as string;
    const { key: readKey } = await createApiKey(seed.ctx, { name: "reader", scopes: ["analytics:read"] });
    const { key: flowsKey } = await createApiKey(seed.ctx, { name: "flows", scopes: ["flows:read"] });
    expect((await call(t.url, "GET", `/api/v1/experiments/${id}/results`, { key: readKey })).status).toBe(
      200,
    );
    expect(
      (await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}/experiments`, { key: readKey })).status,
    ).toBe(200);
    expect((await call(t.url, "POST", `/api/v1/experiments/${id}/start`, { key: readKey })).status).toBe(403);
    expect((await call(t.url, "GET", `/api/v1/experiments/${id}/results`, { key: flowsKey })).status).toBe(
      403,
    );
    expect(
      (
        await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/experiments`, {
          key: readKey,
          body: experimentBody(),
        })
      ).status,
    ).toBe(403);

    const as = (role: "analyst" | "viewer" | "editor"): ServiceContext => ({
      ...seed.ctx,
      actor: { type: "user", userId: seed.owner.id, role, label: role },
    });
    await expect(experimentResults(as("analyst"), id)).resolves.toMatchObject({ status: "draft" });
    await expect(experimentResults(as("viewer"), id)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(startExperiment(as("analyst"), id)).rejects.toMatchObject({ kind: "forbidden" });
  }, 60_000);
});

/** Φ(x) through erf (Abramowitz and Stegun 7.1.26, absolute error under 1.5e-7). */
function standardNormalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
