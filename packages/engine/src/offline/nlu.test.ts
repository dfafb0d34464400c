import { describe, expect, it } from "vitest";
import { builtinEntityPatterns } from "../effects/intent";
import { createOfflineNlu } from "./nlu";

const signal = new AbortController().signal;
const intents = [
  { name: "order_status", examples: ["where is my order", "track my package", "my delivery is late"] },
  { name: "refund", examples: ["I want a refund", "give me my money back", "refund please"] },
];
const entities = [
  { name: "size", values: { large: ["large", "big"], small: ["small", "tiny"] } },
  { name: "email", pattern: builtinEntityPatterns.email },
];

describe("offline NLU", () => {
  it("classifies text against the flow's intents and extracts entities", async () => {
    const nlu = createOfflineNlu();
    const status = await nlu.classify(
      { text: "where's my package?", intents, entities, threshold: 0.6 },
      { signal },
    );
    expect(status.intent).toBe("order_status");
    expect(status.score).toBeGreaterThanOrEqual(0.6);

    const refund = await nlu.classify(
      { text: "refund for the big one, mail me at ada@example.com", intents, entities, threshold: 0.6 },
      { signal },
    );
    expect(refund.intent).toBe("refund");
    expect(refund.entities).toEqual(
      expect.arrayContaining([
        { name: "size", value: "large", text: "big" },
        { name: "email", value: "ada@example.com", text: "ada@example.com" },
      ]),
    );
  });

  it("returns no intent below the threshold", async () => {
    const nlu = createOfflineNlu();
    const result = await nlu.classify(
      { text: "quantum chromodynamics", intents, threshold: 0.6 },
      { signal },
    );
    expect(result.intent).toBeNull();
  });

  it("trains once per set of intents and again when they change", async () => {
    const nlu = createOfflineNlu();
    await Promise.all([
      nlu.classify({ text: "refund please", intents, threshold: 0.5 }, { signal }),
      nlu.classify({ text: "track my package", intents, threshold: 0.5 }, { signal }),
    ]);
    expect(nlu.trainings).toBe(1);
    await nlu.classify(
      { text: "hello", intents: [...intents, { name: "hi", examples: ["hello"] }], threshold: 0.5 },
      { signal },
    );
    expect(nlu.trainings).toBe(2);
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      createOfflineNlu().classify({ text: "x", intents, threshold: 0.5 }, { signal: controller.signal }),
    ).rejects.toThrow("stop");
  });
});
