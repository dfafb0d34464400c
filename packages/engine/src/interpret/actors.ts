import { fromPromise } from "xstate";
import type { ActorName } from "../compile/names";
import type { ActorInputs } from "../compile/params";
import { evaluateAssignments } from "../effects/assignments";
import { httpRequest } from "../effects/http";
import { classifyIntent } from "../effects/intent";
import { answerQuestion } from "../effects/knowledge";
import { llmCall } from "../effects/llm";
import type { EffectOutput } from "../effects/output";
import { sessionOf, type TurnSession } from "./session";

function effectActor<N extends ActorName>(
  run: (session: TurnSession, input: ActorInputs[N], signal: AbortSignal) => Promise<EffectOutput>,
) {
  return fromPromise<EffectOutput, ActorInputs[N]>(({ input, system, signal }) =>
    run(sessionOf(system), input, signal),
  );
}

/** The actor implementations (effects), one per name in `actorNames`. */
export const actorImplementations: { [N in ActorName]: ReturnType<typeof effectActor<N>> } = {
  evaluateAssignments: effectActor<"evaluateAssignments">(evaluateAssignments),
  httpRequest: effectActor<"httpRequest">(httpRequest),
  llmCall: effectActor<"llmCall">(llmCall),
  classifyIntent: effectActor<"classifyIntent">(classifyIntent),
  answerQuestion: effectActor<"answerQuestion">(answerQuestion),
};
