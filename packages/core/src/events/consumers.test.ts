import type { OutboxEvent, OutboxRelay } from "@parley/db";
import { availableTestDatabaseKinds } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBotTimeseries } from "../analytics/timeseries";
import type { CoreDeps } from "../context";
import { sendMessage, startConversation } from "../conversations/conversations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { subscribeCoreConsumers } from "./consumers";

const kinds = await availableTestDatabaseKinds();

/**
 * The analytics consumer rolls a tenant up once the events the relay brought have settled, and forgets the
 * tenant once the watermark passed the latest of them (a relay stands in: the handler is what it calls).
 */
describe.each(kinds)("analytics rollup consumer on %s", (kind) => {
  let harness: Harness;
  let now = Date.now();
  let deps: CoreDeps;
  let handler: (event: OutboxEvent) => Promise<void>;
  beforeAll(async () => {
    harness = await createHarness({ kind });
    deps = { ...harness.deps, clock: { now: () => now } };
  }, 120_000);
  afterAll(() => harness?.cleanup());

  it("rolls up a tenant when its relayed events settle, then forgets it", async () => {
    const relay: Pick<OutboxRelay, "subscribe"> = {
      subscribe: ((_topics: unknown, group: string, handle: (event: OutboxEvent) => Promise<void>) => {
        if (group === "parley.analytics-rollups") handler = handle;
      }) as OutboxRelay["subscribe"],
    };
    const consumers = subscribeCoreConsumers(deps, relay);
    const seed = await seedTenant(deps, "Consumer");
    const ctx = { ...seed.ctx, deps };
    const started = await startConversation(ctx, seed.bot.id, {});
    await sendMessage(ctx, started.conversationId, { text: "Ann" });
    const createdAt = new Date();
    await handler({ tenantId: seed.tenant.id, createdAt } as OutboxEvent);
    expect(consumers.pendingTenants()).toEqual([seed.tenant.id]);

    // Not settled yet: nothing runs.
    expect(await consumers.runDueRollups()).toEqual([]);
    // Settled: rolled up, and the tenant is forgotten (its latest event is under the watermark).
    now = createdAt.getTime() + 2 * 60_000 + 1_000;
    expect(await consumers.runDueRollups()).toEqual([seed.tenant.id]);
    expect(consumers.pendingTenants()).toEqual([]);
    const [state] = await harness.deps.db.system.$queryRawUnsafe<{ rolled_until: Date }[]>(
      "SELECT rolled_until FROM analytics_rollup_state WHERE tenant_id = $1",
      seed.tenant.id,
    );
    expect(new Date(state!.rolled_until).getTime()).toBeGreaterThan(createdAt.getTime());
    const [rolled] = await harness.deps.db.system.$queryRawUnsafe<{ turns: number }[]>(
      "SELECT sum(value)::int AS turns FROM analytics_rollups WHERE tenant_id = $1 AND metric = 'turns'",
      seed.tenant.id,
    );
    expect(rolled!.turns).toBe(2);
    const series = await getBotTimeseries(ctx, seed.bot.id, {
      metric: "turns",
      interval: "hour",
      from: new Date(createdAt.getTime() - 3_600_000).toISOString(),
      to: new Date(now).toISOString(),
    });
    expect(series.total).toBe(2);
  }, 60_000);
});
