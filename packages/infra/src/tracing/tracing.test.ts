import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inSpan, traced } from "./in-span";
import { logTraceFields } from "./log-trace-fields";
import { startTracing, type Tracing } from "./start-tracing";

describe("tracing", () => {
  it("costs nothing and names no trace before tracing starts", async () => {
    const fields = await inSpan("parley.test.idle", {}, async () => logTraceFields());
    expect(fields).toEqual({});
  });

  describe("started", () => {
    const exporter = new InMemorySpanExporter();
    let tracing: Tracing;
    beforeAll(() => {
      tracing = startTracing({ endpoint: "http://127.0.0.1:1", serviceName: "parley-test", exporter });
    });
    afterAll(async () => {
      await tracing.shutdown();
    });

    it("puts the active span's ids on log lines and nests spans", async () => {
      const fields = await inSpan("parley.test.outer", { "parley.answer": 42 }, () =>
        inSpan("parley.test.inner", {}, async () => logTraceFields()),
      );
      await tracing.flush();
      const spans = exporter.getFinishedSpans();
      const inner = spans.find((span) => span.name === "parley.test.inner");
      const outer = spans.find((span) => span.name === "parley.test.outer");
      expect(fields).toEqual({
        trace_id: inner?.spanContext().traceId,
        span_id: inner?.spanContext().spanId,
      });
      expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
      expect(outer?.attributes["parley.answer"]).toBe(42);
      expect(outer?.resource.attributes["service.name"]).toBe("parley-test");
    });
  });

  it("records a thrown error on the span of a traced function and rethrows it", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ endpoint: "http://127.0.0.1:1", serviceName: "parley-test", exporter });
    const failing = traced(
      "parley.test.failing",
      async (id: string) => {
        throw new Error(`no ${id}`);
      },
      (id) => ({ "parley.id": id }),
    );
    await expect(failing("x1")).rejects.toThrow("no x1");
    await tracing.flush();
    const [span] = exporter.getFinishedSpans();
    await tracing.shutdown();
    expect(span?.name).toBe("parley.test.failing");
    expect(span?.attributes["parley.id"]).toBe("x1");
    expect(span?.status).toMatchObject({ code: 2, message: "no x1" });
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
  });
});
