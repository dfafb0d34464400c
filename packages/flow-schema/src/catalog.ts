import type { NodePosition } from "./common";
import type { FlowNodeOfKind, NodeDataOf, NodeKind } from "./nodes/flow-node";

/**
 * What a node waits for before it continues: a user message (`ask`), a timer (`wait`) or a human
 * agent handing the conversation back (`handoff`). Other nodes run straight through.
 */
export type NodeWaitsFor = "userMessage" | "timer" | "agent";

/** Palette groups. */
export type NodeCategory = "flow" | "conversation" | "logic" | "ai" | "integration";

/** How the studio and the validator describe one node kind. */
export interface NodeCatalogEntry<K extends NodeKind = NodeKind> {
  readonly kind: K;
  /** Name in the palette. */
  readonly label: string;
  /** A lucide icon name (https://lucide.dev/icons). */
  readonly icon: string;
  /** One line for the palette tooltip. */
  readonly description: string;
  /** Palette group. */
  readonly category: NodeCategory;
  /** What the node waits for, or null when it never waits. */
  readonly waitsFor: NodeWaitsFor | null;
  /** False for kinds a flow may hold once only (start). */
  readonly repeatable: boolean;
  /**
   * Fresh data for a node dropped on the canvas. It parses, but may still have semantic problems
   * to fix (an empty prompt, an undeclared variable, an unchosen subflow).
   */
  readonly createDefaultData: () => NodeDataOf<K>;
}

/** The node catalogue: one entry per kind. */
export const nodeCatalog: { readonly [K in NodeKind]: NodeCatalogEntry<K> } = {
  start: {
    kind: "start",
    label: "Start",
    icon: "play",
    description: "Where the conversation begins.",
    category: "flow",
    waitsFor: null,
    repeatable: false,
    createDefaultData: () => ({}),
  },
  message: {
    kind: "message",
    label: "Message",
    icon: "message-square",
    description: "Send text, an image or a card, with quick replies.",
    category: "conversation",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({ text: "", quickReplies: [] }),
  },
  ask: {
    kind: "ask",
    label: "Ask",
    icon: "message-circle-question",
    description: "Ask a question, validate the answer and save it in a variable.",
    category: "conversation",
    waitsFor: "userMessage",
    repeatable: true,
    createDefaultData: () => ({ prompt: "", input: { type: "text" }, saveTo: "answer", maxRetries: 2 }),
  },
  condition: {
    kind: "condition",
    label: "Condition",
    icon: "git-branch",
    description: "Branch on rules over variables; else when nothing matches.",
    category: "logic",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({
      groups: [
        {
          id: "group-1",
          match: "all",
          rules: [{ variable: "sys.lastUserMessage", operator: "isNotEmpty" }],
        },
      ],
    }),
  },
  "set-variable": {
    kind: "set-variable",
    label: "Set variable",
    icon: "variable",
    description: "Assign values or JSONata expressions to variables.",
    category: "logic",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({ assignments: [] }),
  },
  http: {
    kind: "http",
    label: "HTTP request",
    icon: "globe",
    description: "Call an integration or URL and map the response into variables.",
    category: "integration",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({
      method: "GET",
      url: "https://api.example.com/",
      headers: {},
      query: {},
      responseMapping: [],
      timeoutMs: 10_000,
    }),
  },
  llm: {
    kind: "llm",
    label: "AI response",
    icon: "sparkles",
    description: "Ask a language model to reply or to extract fields into variables.",
    category: "ai",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({
      prompt: "{{ sys.lastUserMessage }}",
      historyWindow: 10,
      mode: { type: "reply", stream: true },
      timeoutMs: 30_000,
    }),
  },
  intent: {
    kind: "intent",
    label: "Intent",
    icon: "tags",
    description: "Classify the user's message into intents, with a fallback.",
    category: "ai",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({
      text: "{{ sys.lastUserMessage }}",
      classifier: "nlu",
      intents: [{ name: "greeting", examples: ["hello", "hi there", "good morning"] }],
      entities: [],
      threshold: 0.7,
    }),
  },
  knowledge: {
    kind: "knowledge",
    label: "Knowledge answer",
    icon: "book-open",
    description: "Answer from the bot's knowledge base, with citations.",
    category: "ai",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({
      question: "{{ sys.lastUserMessage }}",
      citations: true,
      reply: true,
      topK: 4,
      minScore: 0.5,
      timeoutMs: 30_000,
    }),
  },
  handoff: {
    kind: "handoff",
    label: "Human handoff",
    icon: "headset",
    description: "Hand the conversation to a human agent.",
    category: "conversation",
    waitsFor: "agent",
    repeatable: true,
    createDefaultData: () => ({ priority: "normal" }),
  },
  subflow: {
    kind: "subflow",
    label: "Subflow",
    icon: "workflow",
    description: "Run another flow of this bot, then come back.",
    category: "flow",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({ flowId: "", inputs: [], outputs: [] }),
  },
  jump: {
    kind: "jump",
    label: "Jump",
    icon: "corner-down-right",
    description: "Continue at another node of this flow.",
    category: "flow",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({ targetNodeId: "" }),
  },
  wait: {
    kind: "wait",
    label: "Wait",
    icon: "timer",
    description: "Pause the conversation for a while.",
    category: "flow",
    waitsFor: "timer",
    repeatable: true,
    createDefaultData: () => ({ duration: { amount: 5, unit: "minutes" } }),
  },
  "ab-split": {
    kind: "ab-split",
    label: "A/B split",
    icon: "split",
    description: "Send conversations down weighted variants, sticky per conversation.",
    category: "logic",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({
      variants: [
        { id: "a", label: "A", weight: 50 },
        { id: "b", label: "B", weight: 50 },
      ],
    }),
  },
  end: {
    kind: "end",
    label: "End",
    icon: "flag",
    description: "End the flow (or return from a subflow).",
    category: "flow",
    waitsFor: null,
    repeatable: true,
    createDefaultData: () => ({}),
  },
};

/** What a node of this kind waits for, or null (see `NodeCatalogEntry.waitsFor`). */
export function nodeWaitsFor(kind: NodeKind): NodeWaitsFor | null {
  return nodeCatalog[kind].waitsFor;
}

/** A new node of `kind` with the catalogue's default data, ready to add to a flow. */
export function createNode<K extends NodeKind>(
  kind: K,
  init: { id: string; position: NodePosition; label?: string },
): FlowNodeOfKind<K> {
  const entry = nodeCatalog[kind] as NodeCatalogEntry<K>;
  const node = { id: init.id, kind, position: { ...init.position }, data: entry.createDefaultData() };
  return (init.label === undefined ? node : { ...node, label: init.label }) as unknown as FlowNodeOfKind<K>;
}
