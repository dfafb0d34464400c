import { describe, expect, it } from "vitest";
import { Admission } from "./admission";
import { HttpProblem } from "./problem";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Admission", () => {
  it("runs at most `limit` at once, in arrival order, and refuses after the wait with 503", async () => {
    const admission = new Admission(2, 150);
    let peak = 0;
    const order: number[] = [];
    const task = (id: number, ms: number) =>
      admission.run(async () => {
        peak = Math.max(peak, admission.inFlight);
        order.push(id);
        await sleep(ms);
        return id;
      });
    const results = await Promise.allSettled([
      task(1, 60),
      task(2, 60),
      task(3, 10),
      task(4, 10),
      task(5, 400),
      task(6, 400),
      task(7, 10),
    ]);
    expect(peak).toBe(2);
    expect(order.slice(0, 4)).toEqual([1, 2, 3, 4]);
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.reason).toBeInstanceOf(HttpProblem);
    expect((refused[0]!.reason as HttpProblem).status).toBe(503);
    expect(admission.inFlight).toBe(0);
  });
});
