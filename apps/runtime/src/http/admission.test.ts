import { describe, expect, it } from "vitest";
import { Admission } from "./admission";
import { HttpProblem } from "./problem";

/** A promise resolved from outside: stands in for a model answer or a stretch of CPU work. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Lets every queued continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Admission", () => {
  it("runs at most `limit` at once, in arrival order, and refuses a request that waited too long with 503", async () => {
    const admission = new Admission({ limit: 2, maxWaitMs: 50 });
    const order: number[] = [];
    const work = [gate(), gate(), gate()];
    const task = (id: number) =>
      admission.run(async () => {
        order.push(id);
        await work[id - 1]!.opened;
        return id;
      });
    const first = task(1);
    const second = task(2);
    const third = task(3);
    await settle();
    expect(order).toEqual([1, 2]);
    expect(admission.inFlight).toBe(2);
    work[0]!.open();
    await expect(first).resolves.toBe(1);
    await settle();
    expect(order).toEqual([1, 2, 3]);
    // Both slots stay taken: the next request is refused once its wait is over.
    const refused = await admission.run(async () => 4).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpProblem);
    expect((refused as HttpProblem).status).toBe(503);
    work[1]!.open();
    work[2]!.open();
    await expect(Promise.all([second, third])).resolves.toEqual([2, 3]);
    expect(admission.inFlight).toBe(0);
    expect(admission.admittedCount).toBe(0);
  });

  it("gives the slot back while a request waits on I/O, so more requests than slots wait on a model at once", async () => {
    const admission = new Admission({ limit: 2, maxWaitMs: 10_000 });
    const model = gate();
    let waitingOnModel = 0;
    let peakWaitingOnModel = 0;
    const turns = Array.from({ length: 10 }, (_, id) =>
      admission.run(async () => {
        const reply = await admission.duringIoWait(async () => {
          waitingOnModel += 1;
          peakWaitingOnModel = Math.max(peakWaitingOnModel, waitingOnModel);
          await model.opened;
          waitingOnModel -= 1;
          return `reply ${id}`;
        });
        return reply;
      }),
    );
    await settle();
    expect(peakWaitingOnModel).toBe(10);
    expect(admission.admittedCount).toBe(10);
    expect(admission.inFlight).toBe(0);
    model.open();
    await expect(Promise.all(turns)).resolves.toHaveLength(10);
    expect(admission.inFlight).toBe(0);
  });

  it("still caps CPU work: after the wait, requests take a slot again (returning ones ahead of new ones)", async () => {
    const admission = new Admission({ limit: 2, maxWaitMs: 10_000 });
    const model = gate();
    const cpu = Array.from({ length: 5 }, () => gate());
    let working = 0;
    let peakWorking = 0;
    const order: string[] = [];
    const turns = cpu.map((stretch, id) =>
      admission.run(async () => {
        await admission.duringIoWait(() => model.opened);
        working += 1;
        peakWorking = Math.max(peakWorking, working);
        order.push(`turn ${id}`);
        await stretch.opened; // CPU or database work: holds the slot
        working -= 1;
      }),
    );
    await settle();
    model.open();
    await settle();
    expect(working).toBe(2);
    const late = admission.run(async () => {
      order.push("new request");
    });
    for (const stretch of cpu) {
      stretch.open();
      await settle();
      expect(working).toBeLessThanOrEqual(2);
    }
    await Promise.all([...turns, late]);
    expect(peakWorking).toBe(2);
    expect(order.at(-1)).toBe("new request");
    expect(admission.inFlight).toBe(0);
  });

  it("refuses at once past the in-flight bound (memory), slot or not", async () => {
    const admission = new Admission({ limit: 1, maxWaitMs: 10_000, maxInFlight: 3 });
    const model = gate();
    const held = Array.from({ length: 3 }, () =>
      admission.run(() => admission.duringIoWait(() => model.opened)),
    );
    await settle();
    expect(admission.admittedCount).toBe(3);
    const refused = await admission.run(async () => "no").catch((error: unknown) => error);
    expect((refused as HttpProblem).status).toBe(503);
    model.open();
    await Promise.all(held);
    await expect(admission.run(async () => "yes")).resolves.toBe("yes");
  });

  it("runs an I/O wait outside any request as is", async () => {
    const admission = new Admission({ limit: 1, maxWaitMs: 10 });
    await expect(admission.duringIoWait(async () => 42)).resolves.toBe(42);
    expect(admission.inFlight).toBe(0);
  });
});
