import type { FlowNode, HttpNode, IntentNode, KnowledgeNode, LlmNode } from "@parley/flow-schema";
import type { MachineStateNode, MachineTransition } from "../machine-schema";
import type { ActorName } from "../names";
import type { FlowScope } from "../scope";
import { defined, enterNode, type NodeCompiler } from "./common";
import { outputHandlesOf } from "@parley/flow-schema";

/**
 * An effect node: invoke the named actor with the node's data as JSON input. The actor resolves
 * with `{ handle, ... }` and never rejects for expected failures (it resolves with the node's
 * error handle); an unexpected rejection takes the failure handle's target or the fallback.
 */
function effectState(node: FlowNode, scope: FlowScope, src: ActorName, input: Record<string, unknown>): MachineStateNode {
  const apply = [
    { type: "assignEffectOutput" as const, params: { node: node.id } },
    { type: "emitEffectMessages" as const, params: { node: node.id } },
  ];
  const onDone: MachineTransition[] = outputHandlesOf(node).map((handle) => ({
    guard: { type: "effectHandleIs", params: { handle } },
    target: scope.targetOf(node, handle),
    actions: apply,
  }));
  const failureHandle = scope.failureHandleOf(node);
  const failureTarget = failureHandle ? scope.targetOf(node, failureHandle) : scope.fallbackTarget();
  // An output naming no handle (a bug in an effect) is a failure, not a silent stop.
  onDone.push({ target: failureTarget, actions: [{ type: "noteFailure", params: { node: node.id } }] });
  return {
    entry: [enterNode(node)],
    invoke: {
      id: `fx:${node.id}`,
      src,
      input: defined({ node: node.id, ...input }),
      onDone,
      onError: [{ target: failureTarget, actions: [{ type: "noteFailure", params: { node: node.id } }] }],
    },
  };
}

/** http: one request through the http port; `success` on 2xx, `error` otherwise. */
export const compileHttp: NodeCompiler<HttpNode> = (node, scope) => effectState(node, scope, "httpRequest", node.data);

/** llm: one completion through the llm port; reply (streamed) or extract; `next` or `error`. */
export const compileLlm: NodeCompiler<LlmNode> = (node, scope) =>
  effectState(node, scope, "llmCall", {
    ...node.data,
    modelRoute: node.data.modelRoute ?? scope.flow.settings.defaultModelRoute ?? "default",
  });

/** intent: classify through the nlu (or llm) port; the winning intent's handle or `fallback`. */
export const compileIntent: NodeCompiler<IntentNode> = (node, scope) =>
  effectState(node, scope, "classifyIntent", {
    ...node.data,
    modelRoute: node.data.modelRoute ?? scope.flow.settings.defaultModelRoute ?? "default",
    language: scope.flow.settings.language,
    timeoutMs: scope.settings.defaultEffectTimeoutMs,
  });

/** knowledge: a grounded answer through the knowledge port; `answered` or `noAnswer`. */
export const compileKnowledge: NodeCompiler<KnowledgeNode> = (node, scope) =>
  effectState(node, scope, "answerQuestion", { ...node.data, language: scope.flow.settings.language });
