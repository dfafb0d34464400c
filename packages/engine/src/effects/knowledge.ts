import type { ActorInputs } from "../compile/params";
import { render } from "../interpret/context";
import type { TurnSession } from "../interpret/session";
import type { KnowledgeAnswer } from "../ports/knowledge";
import { callPort, MissingPortError } from "./call-port";
import { knownNamesOf } from "./known-names";
import { describeError, type EffectOutput, failure } from "./output";

/**
 * knowledge node: asks the knowledge port for a grounded answer. An answer is sent (with
 * citations when enabled) and may be saved, taking `answered`; no answer, an empty question or
 * a failing lookup takes `noAnswer`.
 */
export async function answerQuestion(
  session: TurnSession,
  input: ActorInputs["answerQuestion"],
  signal: AbortSignal,
): Promise<EffectOutput> {
  const question = render(input.question, session.currentContext()).trim();
  if (question === "") return failure("noAnswer", "there is no question to answer");
  const port = session.ports.knowledge;
  const knownNames = knownNamesOf(session.currentContext());
  let answer: KnowledgeAnswer;
  try {
    if (!port) throw new MissingPortError("knowledge");
    answer = await callPort(
      session,
      {
        nodeId: input.node,
        kind: "knowledge",
        timeoutMs: input.timeoutMs,
        signal,
        describe: (result) =>
          result.answered ? `answered (${result.citations.length} citations)` : "no answer",
      },
      (portSignal) =>
        port.answer(
          {
            question,
            language: input.language,
            topK: input.topK,
            minScore: input.minScore,
            ...(input.modelRoute ? { modelRoute: input.modelRoute } : {}),
          },
          { signal: portSignal, ...(knownNames.length > 0 ? { knownNames } : {}) },
        ),
    );
  } catch (error) {
    return failure("noAnswer", `knowledge lookup failed: ${describeError(error)}`);
  }
  if (!answer.answered) return { handle: "noAnswer" };
  return {
    handle: "answered",
    ...(input.saveAnswerTo ? { vars: { [input.saveAnswerTo]: answer.text } } : {}),
    messages: input.reply
      ? [
          {
            type: "text",
            nodeId: input.node,
            text: answer.text,
            format: "markdown",
            source: "knowledge",
            ...(input.citations && answer.citations.length > 0 ? { citations: answer.citations } : {}),
          },
        ]
      : [],
  };
}
