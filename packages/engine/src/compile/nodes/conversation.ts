import type { AskNode, HandoffNode, MessageNode } from "@parley/flow-schema";
import type { MachineTransition } from "../machine-schema";
import { stateTags } from "../names";
import { continueThrough, defined, enterNode, type NodeCompiler, typingParams } from "./common";

/** message: say everything, continue through `next`. */
export const compileMessage: NodeCompiler<MessageNode> = (node, scope) => ({
  entry: [
    enterNode(node),
    {
      type: "say",
      params: defined({
        node: node.id,
        text: node.data.text,
        image: node.data.image,
        card: node.data.card,
        quickReplies: node.data.quickReplies.length > 0 ? node.data.quickReplies : undefined,
        ...typingParams(scope),
      }),
    },
  ],
  always: continueThrough(node, scope),
});

/**
 * ask: prompt and wait. A valid answer is saved and takes `next`; an invalid one is re-prompted
 * (targetless, so the retry counter survives) until `maxRetries`, then `error`.
 */
export const compileAsk: NodeCompiler<AskNode> = (node, scope) => {
  const { prompt, retryPrompt, input, saveTo, maxRetries } = node.data;
  const promptAction = {
    type: "askPrompt" as const,
    params: defined({ node: node.id, prompt, retryPrompt, input, ...typingParams(scope) }),
  };
  const answer: MachineTransition[] = [
    {
      guard: { type: "answerIsValid", params: { input } },
      target: scope.targetOf(node, "next"),
      actions: [{ type: "saveAnswer", params: { node: node.id, input, saveTo } }],
    },
    {
      guard: { type: "canRetry", params: { maxRetries } },
      actions: [{ type: "noteUserMessage" }, { type: "countRetry" }, promptAction],
    },
    {
      target: scope.targetOf(node, "error"),
      actions: [
        { type: "noteUserMessage" },
        { type: "noteFailure", params: { node: node.id, reason: `no valid answer after ${maxRetries + 1} attempts` } },
      ],
    },
  ];
  return {
    tags: [stateTags.waiting, stateTags.ask],
    entry: [enterNode(node), { type: "resetRetries" }, promptAction],
    on: { "user.text": answer, "user.choice": answer },
  };
};

/** handoff: announce, wait for the agent to hand back, continue through `next`. */
export const compileHandoff: NodeCompiler<HandoffNode> = (node, scope) => ({
  tags: [stateTags.waiting, stateTags.handoff],
  entry: [
    enterNode(node),
    {
      type: "announceHandoff",
      params: defined({
        node: node.id,
        message: node.data.message,
        queue: node.data.queue,
        reason: node.data.reason,
        priority: node.data.priority,
      }),
    },
  ],
  on: {
    "handoff.resolved": [{ target: scope.targetOf(node, "next"), actions: [{ type: "resolveHandoff" }] }],
  },
});
