import type { AskNode, HandoffNode, MessageNode } from "@parley/flow-schema";
import type { MachineTransition } from "../machine-schema";
import { stateTags } from "../names";
import { action, guard } from "../params";
import { stateKeyOf } from "../state-key";
import { continueThrough, enterNode, type NodeCompiler, typingParams } from "./common";

/** message: say everything, continue through `next`. */
export const compileMessage: NodeCompiler<MessageNode> = (node, scope) => ({
  entry: [
    enterNode(node),
    action("say", {
      node: node.id,
      text: node.data.text,
      image: node.data.image,
      card: node.data.card,
      quickReplies: node.data.quickReplies.length > 0 ? node.data.quickReplies : undefined,
      ...typingParams(scope),
    }),
  ],
  always: continueThrough(node, scope),
});

/**
 * ask: prompt and wait. A valid answer is saved and takes `next`; an invalid one re-enters the
 * ask (which prompts again with the retry prompt) until `maxRetries`, then `error`.
 */
export const compileAsk: NodeCompiler<AskNode> = (node, scope) => {
  const { prompt, retryPrompt, input, saveTo, maxRetries } = node.data;
  const promptAction = action("askPrompt", {
    node: node.id,
    prompt,
    retryPrompt,
    input,
    ...typingParams(scope),
  });
  const answer: MachineTransition[] = [
    {
      guard: guard("answerIsValid", { input }),
      target: scope.targetOf(node, "next"),
      actions: [action("saveAnswer", { node: node.id, input, saveTo })],
    },
    {
      // Re-entering the ask re-runs its prompt, which picks the retry prompt once retries > 0.
      guard: guard("canRetry", { maxRetries }),
      target: stateKeyOf(node.id),
      reenter: true,
      actions: [action("noteUserMessage"), action("countRetry")],
    },
    {
      target: scope.targetOf(node, "error"),
      actions: [
        action("noteUserMessage"),
        action("resetRetries"),
        action("noteFailure", { node: node.id, reason: `no valid answer after ${maxRetries + 1} attempts` }),
      ],
    },
  ];
  // Every way out of an ask clears the retry counter (saveAnswer or the error transition), so
  // entering one needs no reset (one context update less per question), and a retry can
  // re-enter the state without losing its count.
  return {
    tags: [stateTags.waiting, stateTags.ask],
    entry: [enterNode(node), promptAction],
    // "user.*" takes both typed text and picked choices (one copy of the transitions).
    on: { "user.*": answer },
  };
};

/** handoff: announce, wait for the agent to hand back, continue through `next`. */
export const compileHandoff: NodeCompiler<HandoffNode> = (node, scope) => ({
  tags: [stateTags.waiting, stateTags.handoff],
  entry: [
    enterNode(node),
    action("announceHandoff", {
      node: node.id,
      message: node.data.message,
      queue: node.data.queue,
      reason: node.data.reason,
      priority: node.data.priority,
    }),
  ],
  on: {
    "handoff.resolved": [{ target: scope.targetOf(node, "next"), actions: [action("resolveHandoff")] }],
  },
});
