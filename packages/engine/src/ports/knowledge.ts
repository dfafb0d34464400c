import { citationSchema } from "@parley/contract";
import { z } from "zod";

/** A question for the bot's knowledge base. */
export const knowledgeQuestionSchema = z.object({
  question: z.string(),
  language: z.string().default("en"),
  /** Knowledge base (or collection) the node is restricted to, when set. */
  knowledgeBaseId: z.string().optional(),
  /** Number of passages to consider. */
  topK: z.number().int().positive().optional(),
  /** Minimum relevance (0..1) of a passage to ground an answer; below it, answer "no answer". */
  minScore: z.number().min(0).max(1).optional(),
  /** Model route for writing the grounded answer, when the node sets one. */
  modelRoute: z.string().optional(),
});
/** A question for the bot's knowledge base. */
export type KnowledgeQuestion = z.input<typeof knowledgeQuestionSchema>;

/** Either a grounded answer with its citations, or an honest "no answer". */
export const knowledgeAnswerSchema = z.discriminatedUnion("answered", [
  z.object({ answered: z.literal(true), text: z.string(), citations: z.array(citationSchema) }),
  z.object({ answered: z.literal(false) }),
]);
/** Either a grounded answer with its citations, or an honest "no answer". */
export type KnowledgeAnswer = z.infer<typeof knowledgeAnswerSchema>;

/** Port to the bot's knowledge base (retrieval + grounded answer). */
export interface KnowledgePort {
  answer(
    question: KnowledgeQuestion,
    /** `knownNames`: as in `LlmCallOptions`, for the model that writes the grounded answer. */
    options: { signal: AbortSignal; knownNames?: readonly string[] },
  ): Promise<KnowledgeAnswer>;
}
