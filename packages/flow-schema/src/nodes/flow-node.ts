import { z } from "zod";
import { abSplitNodeSchema } from "./ab-split";
import { askNodeSchema } from "./ask";
import { conditionNodeSchema } from "./condition";
import { endNodeSchema } from "./end";
import { handoffNodeSchema } from "./handoff";
import { httpNodeSchema } from "./http";
import { intentNodeSchema } from "./intent";
import { jumpNodeSchema } from "./jump";
import { knowledgeNodeSchema } from "./knowledge";
import { llmNodeSchema } from "./llm";
import { messageNodeSchema } from "./message";
import { setVariableNodeSchema } from "./set-variable";
import { startNodeSchema } from "./start";
import { subflowNodeSchema } from "./subflow";
import { waitNodeSchema } from "./wait";

/** Every node kind, in palette order. */
export const nodeKinds = [
  "start",
  "message",
  "ask",
  "condition",
  "set-variable",
  "http",
  "llm",
  "intent",
  "knowledge",
  "handoff",
  "subflow",
  "jump",
  "wait",
  "ab-split",
  "end",
] as const;

/** The kind of a node. */
export type NodeKind = (typeof nodeKinds)[number];

/** A node of a flow: `{ id, kind, position, label?, data }`, discriminated by `kind`. */
export const flowNodeSchema = z
  .discriminatedUnion("kind", [
    startNodeSchema,
    messageNodeSchema,
    askNodeSchema,
    conditionNodeSchema,
    setVariableNodeSchema,
    httpNodeSchema,
    llmNodeSchema,
    intentNodeSchema,
    knowledgeNodeSchema,
    handoffNodeSchema,
    subflowNodeSchema,
    jumpNodeSchema,
    waitNodeSchema,
    abSplitNodeSchema,
    endNodeSchema,
  ])
  .meta({ id: "FlowNode" });

/** A node of a flow, discriminated by `kind`. */
export type FlowNode = z.infer<typeof flowNodeSchema>;

/** The node type of one kind: `FlowNodeOfKind<"ask">` is `AskNode`. */
export type FlowNodeOfKind<K extends NodeKind> = Extract<FlowNode, { kind: K }>;

/** The data type of one kind: `NodeDataOf<"ask">` is `AskNodeData`. */
export type NodeDataOf<K extends NodeKind> = FlowNodeOfKind<K>["data"];

/** Narrows a node to one kind. */
export function isNodeOfKind<K extends NodeKind>(node: FlowNode, kind: K): node is FlowNodeOfKind<K> {
  return node.kind === kind;
}

/** True when `value` names a node kind. */
export function isNodeKind(value: unknown): value is NodeKind {
  return typeof value === "string" && (nodeKinds as readonly string[]).includes(value);
}

// Keep `nodeKinds` and the union in step: a kind missing from either list fails to compile.
type UnionKinds = FlowNode["kind"];
const kindsMatchUnion: [UnionKinds] extends [NodeKind]
  ? [NodeKind] extends [UnionKinds]
    ? true
    : never
  : never = true;
void kindsMatchUnion;
