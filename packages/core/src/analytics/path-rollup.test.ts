import { availableTestDatabaseKinds } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps, ServiceContext } from "../context";
import { sendMessage, startConversation } from "../conversations/conversations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { getFlowNodeAnalytics } from "./nodes";
import { rollUpTenant } from "./rollup";

const kinds = await availableTestDatabaseKinds();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The drop-off of a range with a partial day at each end and a whole day between: before any rollup it is
 * the raw conversations (the tail); after the rollup the whole day comes from analytics_path_rollups, the
 * partial days from the minute/hour node rows, and after compaction (day rows reaching outside the range)
 * the partial days from the stored facts. Every way gives the same answer.
 */
describe.each(kinds)("drop-off from the day path rollups on %s", (kind) => {
  let harness: Harness;
  let deps: CoreDeps;
  let ctx: ServiceContext;
  let seed: Awaited<ReturnType<typeof seedTenant>>;
  let now = 0;
  // Midnight UTC four, three and two days ago.
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  const day = (daysAgo: number) => midnight - daysAgo * DAY;
  const range = {
    from: new Date(day(4) + 6 * HOUR).toISOString(),
    to: new Date(day(2) + 12 * HOUR).toISOString(),
  };

  const conversation = async (at: number, inputs: ({ text: string } | { choice: string })[]) => {
    now = at;
    const started = await startConversation(ctx, seed.bot.id, {});
    for (const input of inputs) {
      now += 10_000;
      await sendMessage(ctx, started.conversationId, input);
    }
  };
  const order = (name: string, size: string) => [
    { text: name },
    { choice: size },
    { text: "+1 555 123 4567" },
  ];

  beforeAll(async () => {
    harness = await createHarness({ kind });
    deps = { ...harness.deps, clock: { now: () => now } };
    now = day(5);
    seed = await seedTenant(deps, "Path rollups");
    ctx = { ...seed.ctx, deps };
    await conversation(day(4) + 5 * HOUR, order("Out", "small")); // before the range
    await conversation(day(4) + 8 * HOUR, order("Ann", "large")); // the partial first day
    await conversation(day(4) + 9 * HOUR, []);
    await conversation(day(3) + 10 * HOUR, order("Bob", "small")); // the whole day
    await conversation(day(3) + 11 * HOUR, [{ text: "Cy" }]);
    await conversation(day(3) + 12 * HOUR, []);
    await conversation(day(3) + 23 * HOUR + 59 * MINUTE, [{ text: "Dee" }]);
    await conversation(day(2) + 2 * HOUR, order("Eve", "medium")); // the partial last day
    await conversation(day(2) + 3 * HOUR, [{ text: "Fay" }]);
    await conversation(day(2) + 13 * HOUR, order("Gus", "large")); // after the range
    now = Date.now();
  }, 240_000);
  afterAll(() => harness?.cleanup());

  const dropOff = () => getFlowNodeAnalytics(ctx, seed.flow.id, range);
  const rollUp = async (clock: number) => {
    const later = { ...deps, clock: { now: () => clock } };
    for (;;) {
      const outcome = await rollUpTenant(later, seed.tenant.id);
      if (!outcome.moreEvents && !outcome.moreConversations) return outcome;
    }
  };

  it("gives the raw answer from the day rows, the finer rows and the facts at the edges", async () => {
    const raw = await dropOff();
    // The eight conversations started in the range, counted raw (nothing is rolled up yet).
    expect(raw.conversations).toBe(8);
    const byNode = Object.fromEntries(raw.nodes.map(({ nodeId, ...rest }) => [nodeId, rest]));
    expect(byNode.start).toMatchObject({ entered: 8 });
    expect(byNode["ask-name"]).toMatchObject({ entered: 8, exits: { next: 6 }, dropped: 2 });
    expect(byNode["ask-size"]).toMatchObject({ entered: 6, exits: { next: 3 }, dropped: 3 });
    expect(byNode["check-size"]).toMatchObject({ entered: 3, exits: { large: 1, else: 2 } });

    await rollUp(Date.now() + 2 * MINUTE);
    const db = deps.db.forTenant(seed.tenant.id);
    // The whole day is one row per step and path end: its four conversations ended their paths there.
    const wholeDay = await db.analyticsPathRollup.findMany({ where: { day: new Date(day(3)) } });
    expect(
      wholeDay
        .filter((row) => row.metric.startsWith("cohort.last."))
        .reduce((sum, row) => sum + row.value, 0),
    ).toBe(4);
    expect(await dropOff()).toEqual(raw);

    // Days later every rollup row is a day row: the partial days' rows reach outside the range, so their
    // conversations are read from their stored facts.
    const compacted = await rollUp(Date.now() + 200 * DAY);
    expect(compacted.compacted).toBeGreaterThan(0);
    expect(await dropOff()).toEqual(raw);

    // The whole day is read from the day rows alone: without its node rows in analytics_rollups, the same.
    await deps.db.system.$executeRawUnsafe(
      `DELETE FROM analytics_rollups WHERE tenant_id = $1 AND metric LIKE 'cohort.%'
         AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
      seed.tenant.id,
      new Date(day(3)),
      new Date(day(2)),
    );
    expect(await dropOff()).toEqual(raw);
  }, 120_000);
});
