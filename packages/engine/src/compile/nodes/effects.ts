import {
  type FlowNode,
  type HttpNode,
  type IntentNode,
  type KnowledgeNode,
  type LlmNode,
  outputHandlesOf,
} from "@parley/flow-schema";
import type { MachineStateNode, MachineTransition } from "../machine-schema";
import type { ActorName } from "../names";
import { type ActorInputs, action, guard, jsonParams } from "../params";
import type { FlowScope } from "../scope";
import { enterNode, type NodeCompiler } from "./common";

/**
 * An effect node: invoke the named actor with the node's data as JSON input. The actor resolves
 * with `{ handle, ... }` and never rejects for expected failures (it resolves with the node's
 * error handle); an unexpected rejection takes the failure handle's target or the fallback.
 */
function effectState<N extends ActorName>(
  node: FlowNode,
  scope: FlowScope,
  src: N,
  input: ActorInputs[N],
): MachineStateNode {
  const apply = [
    action("assignEffectOutput", { node: node.id }),
    action("emitEffectMessages", { node: node.id }),
  ];
  const onDone: MachineTransition[] = outputHandlesOf(node).map((handle) => ({
    guard: guard("effectHandleIs", { handle }),
    target: scope.targetOf(node, handle),
    actions: apply,
  }));
  const failureHandle = scope.failureHandleOf(node);
  const failureTarget = failureHandle ? scope.targetOf(node, failureHandle) : scope.fallbackTarget();
  // An output naming no handle (a bug in an effect) is a failure, not a silent stop.
  onDone.push({ target: failureTarget, actions: [action("noteFailure", { node: node.id })] });
  return {
    entry: [enterNode(node)],
    invoke: {
      id: `fx:${node.id}`,
      src,
      input: jsonParams(input),
      onDone,
      onError: [{ target: failureTarget, actions: [action("noteFailure", { node: node.id })] }],
    },
  };
}

/** http: one request through the http port; `success` on 2xx, `error` otherwise. */
export const compileHttp: NodeCompiler<HttpNode> = (node, scope) =>
  effectState(node, scope, "httpRequest", { node: node.id, ...node.data });

/** llm: one completion through the llm port; reply (streamed) or extract; `next` or `error`. */
export const compileLlm: NodeCompiler<LlmNode> = (node, scope) =>
  effectState(node, scope, "llmCall", {
    node: node.id,
    ...node.data,
    modelRoute: node.data.modelRoute ?? scope.flow.settings.defaultModelRoute ?? "default",
  });

/** intent: classify through the nlu (or llm) port; the winning intent's handle or `fallback`. */
export const compileIntent: NodeCompiler<IntentNode> = (node, scope) =>
  effectState(node, scope, "classifyIntent", {
    node: node.id,
    ...node.data,
    modelRoute: node.data.modelRoute ?? scope.flow.settings.defaultModelRoute ?? "default",
    language: scope.flow.settings.language,
    timeoutMs: scope.settings.defaultEffectTimeoutMs,
  });

/** knowledge: a grounded answer through the knowledge port; `answered` or `noAnswer`. */
export const compileKnowledge: NodeCompiler<KnowledgeNode> = (node, scope) =>
  effectState(node, scope, "answerQuestion", {
    node: node.id,
    ...node.data,
    language: scope.flow.settings.language,
  });
