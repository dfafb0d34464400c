import type { AnyEventObject } from "xstate";
import type { GuardName } from "../compile/names";
import type { GuardParams } from "../compile/params";
import { abBucket } from "./ab-split";
import { parseAnswer } from "./answers/parse-answer";
import { evaluateGroup } from "./conditions";
import { type FlowContext, readVariable } from "./context";
import { effectOutputOf, userAnswerOf } from "./events";

type Guard<N extends GuardName> = (
  args: { context: FlowContext; event: AnyEventObject },
  params: GuardParams[N],
) => boolean;

/** The guard implementations, one per name in `guardNames`. Pure: context, event and params only. */
export const guardImplementations: { [N in GuardName]: Guard<N> } = {
  answerIsValid: ({ event }, { input }) => parseAnswer(input, userAnswerOf(event)).ok,
  canRetry: ({ context }, { maxRetries }) => (context.rt.retries ?? 0) < maxRetries,
  conditionGroupMatches: ({ context }, { match, rules }) =>
    evaluateGroup(match, rules, (path) => readVariable(context, path)),
  abBucketIs: ({ context }, { node, flowId, from, to, variant }) => {
    // An experiment's assignment wins over the hash bucket (variant absent: an older machine).
    const choice = context.env?.abSplitChoice;
    // The experiment is on the conversation's root flow: a subflow's node of the same id is not it.
    if (choice && variant !== undefined && choice.nodeId === node && flowId === context.env?.flowId) {
      return choice.variant === variant;
    }
    const bucket = abBucket(context.env?.conversationId ?? "", flowId, node);
    return bucket >= from && bucket < to;
  },
  effectHandleIs: ({ event }, { handle }) => effectOutputOf(event)?.handle === handle,
  timerMatches: ({ context, event }) => event.timerId === context.rt.timer?.id,
};
