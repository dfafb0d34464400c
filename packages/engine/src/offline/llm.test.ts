import { describe, expect, it } from "vitest";
import { createOfflineLlm, OFFLINE_REPLY } from "./llm";

const signal = new AbortController().signal;

describe("offline LLM", () => {
  it("says plainly that it is offline, token by token", async () => {
    const tokens: string[] = [];
    const response = await createOfflineLlm().complete(
      { route: "default", messages: [{ role: "user", content: "Write me a poem" }] },
      { signal, onToken: (token) => tokens.push(token) },
    );
    expect(response.text).toBe(OFFLINE_REPLY);
    expect(response.text).toMatch(/offline/);
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.join("")).toBe(OFFLINE_REPLY);
  });

  it("extracts only what pattern matching can honestly find", async () => {
    const llm = createOfflineLlm();
    const response = await llm.complete(
      {
        route: "default",
        messages: [{ role: "user", content: "I'm ada@example.com, 3 guests on 2025-05-01, yes please" }],
        extract: {
          fields: [
            { name: "contactEmail", type: "string", description: "their e-mail", required: true },
            { name: "guests", type: "number", required: false },
            { name: "day", type: "date", required: false },
            { name: "confirmed", type: "boolean", required: false },
            { name: "mood", type: "string", required: false },
          ],
        },
      },
      { signal },
    );
    expect(response.json).toEqual({
      contactEmail: "ada@example.com",
      guests: 3,
      day: "2025-05-01",
      confirmed: true,
    });
  });

  it("fails when a required field is beyond it", async () => {
    await expect(
      createOfflineLlm().complete(
        {
          route: "default",
          messages: [{ role: "user", content: "I feel great" }],
          extract: { fields: [{ name: "mood", type: "string", required: true }] },
        },
        { signal },
      ),
    ).rejects.toThrow(/offline mode cannot extract "mood"/);
  });
});
