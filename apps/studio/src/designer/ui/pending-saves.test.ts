import { describe, expect, it } from "vitest";
import { savesSettled, trackSave } from "./pending-saves";

describe("saves on their way across designer mounts", () => {
  it("a load waits for every save of its flow, including one started while waiting, and not for other flows", async () => {
    const order: string[] = [];
    let finishFirst = () => {};
    let finishSecond = () => {};
    trackSave(
      "f1",
      new Promise<void>((done) => (finishFirst = done)).then(() => order.push("first saved")),
    );
    const loaded = savesSettled("f1").then(() => order.push("loaded"));
    await savesSettled("other-flow");
    order.push("other flow loaded");
    trackSave(
      "f1",
      new Promise<void>((done) => (finishSecond = done)).then(() => order.push("second saved")),
    );
    finishFirst();
    await Promise.resolve();
    finishSecond();
    await loaded;
    expect(order).toEqual(["other flow loaded", "first saved", "second saved", "loaded"]);
  });

  it("a failed save does not block the load", async () => {
    trackSave("f2", Promise.reject(new Error("offline")));
    await expect(savesSettled("f2")).resolves.toBeUndefined();
  });
});
