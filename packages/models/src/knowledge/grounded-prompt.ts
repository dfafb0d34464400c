import type { Citation } from "@parley/contract";
import type { LlmMessage } from "@parley/engine";
import { citationOf } from "./citation";
import type { RetrievedChunk } from "./knowledge-store";

/** What the model replies when the sources do not answer the question. */
export const NO_ANSWER = "NO_ANSWER";

/** The messages asking a model to answer only from the numbered passages, citing them as [n]. */
export function buildGroundedPrompt(
  question: string,
  passages: readonly RetrievedChunk[],
  language: string,
): LlmMessage[] {
  const sources = passages
    .map((passage, index) => {
      const where = [passage.title, passage.heading, passage.page ? `page ${passage.page}` : undefined]
        .filter(Boolean)
        .join(" / ");
      return `[${index + 1}] ${where}\n${passage.content}`;
    })
    .join("\n\n");
  return [
    {
      role: "system",
      content:
        "You answer customers' questions using only the numbered sources you are given. " +
        "Cite every source you use with its number in square brackets, like [1]. " +
        `If the sources do not contain the answer, reply with exactly ${NO_ANSWER} and nothing else. ` +
        `Answer briefly, in the language of the question (language code: ${language}).`,
    },
    { role: "user", content: `Sources:\n\n${sources}\n\nQuestion: ${question}` },
  ];
}

/**
 * The model's grounded answer with its citations (the cited passages, renumbered in order of first
 * citation), or undefined when it said the sources do not answer. An answer citing nothing is
 * credited to the best passage.
 */
export function parseGroundedAnswer(
  text: string,
  passages: readonly RetrievedChunk[],
): { text: string; citations: Citation[] } | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.replace(/[^A-Z_]/g, "") === NO_ANSWER || trimmed.startsWith(NO_ANSWER))
    return undefined;
  const order: number[] = [];
  for (const match of trimmed.matchAll(/\[(\d+)\]/g)) {
    const number = Number(match[1]);
    if (number >= 1 && number <= passages.length && !order.includes(number)) order.push(number);
  }
  if (order.length === 0) {
    const best = passages[0];
    return { text: trimmed, citations: best ? [citationOf(best)] : [] };
  }
  const renumbered = trimmed.replace(/\[(\d+)\]/g, (marker, digits: string) => {
    const position = order.indexOf(Number(digits));
    return position === -1 ? marker : `[${position + 1}]`;
  });
  return {
    text: renumbered,
    citations: order.map((number) => citationOf(passages[number - 1] as RetrievedChunk)),
  };
}
