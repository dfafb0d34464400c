import { describe, expect, it } from "vitest";
import { createRuntimeMetrics } from "./metrics";
import { boundedLabel } from "./product-metrics";

describe("product metrics", () => {
  it("counts turns, handoffs and LLM spend per tenant on /metrics, with no conversation labels", async () => {
    const metrics = createRuntimeMetrics();
    metrics.observer.turnCompleted?.({
      tenantId: "t1",
      botId: "b1",
      latencyMs: 5,
      status: "waiting",
      channel: "web",
    });
    metrics.observer.turnCompleted?.({
      tenantId: "t1",
      botId: "b1",
      latencyMs: 5,
      status: "ended",
      channel: "web",
    });
    metrics.observer.handoffRequested?.({ tenantId: "t2", botId: "b2" });
    metrics.observer.llmCallRecorded?.({
      tenantId: "t1",
      provider: "openai",
      costUsd: 0.25,
      cacheHit: false,
    });
    metrics.observer.llmCallRecorded?.({ tenantId: "t1", provider: "openai", costUsd: 0, cacheHit: true });
    const text = await metrics.registry.metrics();
    expect(text).toContain('parley_product_turns_total{tenant="t1"} 2');
    expect(text).toContain('parley_product_handoffs_total{tenant="t2"} 1');
    expect(text).toContain('parley_product_llm_cost_usd_total{tenant="t1",provider="openai"} 0.25');
    expect(text).toContain('parley_product_llm_calls_total{tenant="t1",provider="openai",cache="hit"} 1');
    expect(text).not.toMatch(/conversation(_id)?="/);
  });

  it("keeps the tenant label bounded: past the cap, tenants count as `other`", () => {
    const label = boundedLabel(2);
    expect(["a", "b", "c", "a", "d"].map(label)).toEqual(["a", "b", "other", "a", "other"]);
  });
});
