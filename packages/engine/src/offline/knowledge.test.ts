import { describe, expect, it } from "vitest";
import { createMemoryKnowledge } from "./knowledge";

const signal = new AbortController().signal;
const knowledge = createMemoryKnowledge([
  {
    title: "Shipping",
    url: "https://help.example.com/shipping",
    text: "Orders ship within 2 days.\n\nInternational shipping takes 7 to 10 days and costs 15 euros.",
  },
  { title: "Returns", text: "You can return any item within 30 days for a full refund." },
]);

describe("in-memory knowledge", () => {
  it("answers with the best matching passage and cites its document", async () => {
    const answer = await knowledge.answer(
      { question: "How long does international shipping take?" },
      { signal },
    );
    expect(answer).toEqual({
      answered: true,
      text: "International shipping takes 7 to 10 days and costs 15 euros.",
      citations: [
        {
          title: "Shipping",
          url: "https://help.example.com/shipping",
          snippet: "International shipping takes 7 to 10 days and costs 15 euros.",
        },
      ],
    });
  });

  it("has no answer when nothing is relevant enough", async () => {
    expect(await knowledge.answer({ question: "Do you sell gift cards?" }, { signal })).toEqual({
      answered: false,
    });
    expect(await knowledge.answer({ question: "return shipping label", minScore: 0.9 }, { signal })).toEqual({
      answered: false,
    });
  });
});
