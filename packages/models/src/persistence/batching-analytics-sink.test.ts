import { describe, expect, it } from "vitest";
import { type AnalyticsEventInput, MemoryAnalyticsSink } from "../accounting/call-record";
import { batchingAnalyticsSink } from "./batching-analytics-sink";

const event = (n: number): AnalyticsEventInput => ({
  tenantId: "t1",
  type: "llm.call",
  properties: { n },
  occurredAt: new Date(0),
});

/** Counts the inner sink's writes. */
class CountingSink extends MemoryAnalyticsSink {
  writes = 0;
  override async emit(events: AnalyticsEventInput[]): Promise<void> {
    this.writes += 1;
    await super.emit(events);
  }
}

describe("batchingAnalyticsSink", () => {
  it("buffers events and writes them in one batch on flush, in order", async () => {
    const inner = new CountingSink();
    const sink = batchingAnalyticsSink(inner, { maxDelayMs: 60_000 });
    for (let n = 0; n < 5; n += 1) await sink.emit([event(n)]);
    expect(inner.events).toHaveLength(0);
    await sink.flush();
    expect(inner.writes).toBe(1);
    expect(inner.events.map((e) => e.properties.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it("writes at once when a batch is full", async () => {
    const inner = new CountingSink();
    const sink = batchingAnalyticsSink(inner, { maxDelayMs: 60_000, maxBatch: 3 });
    await sink.emit([event(1), event(2), event(3)]);
    await sink.flush();
    expect(inner.events).toHaveLength(3);
    expect(inner.writes).toBe(1);
  });

  it("drops a batch the inner sink refuses, says so, and keeps working", async () => {
    const dropped: number[] = [];
    let fail = true;
    const inner = new MemoryAnalyticsSink();
    const sink = batchingAnalyticsSink(
      {
        async emit(events) {
          if (fail) throw new Error("database down");
          await inner.emit(events);
        },
      },
      { maxDelayMs: 60_000, onError: (_error, count) => dropped.push(count) },
    );
    await sink.emit([event(1), event(2)]);
    await sink.flush();
    fail = false;
    await sink.emit([event(3)]);
    await sink.flush();
    expect(dropped).toEqual([2]);
    expect(inner.events.map((e) => e.properties.n)).toEqual([3]);
  });
});
