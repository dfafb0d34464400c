/**
 * A flow whose answer comes from an LLM node with streaming on: it asks a question, then the
 * runtime's offline LLM provider answers token by token. Seeded into the real runtime by harness.ts.
 */
export const streamingFlow = {
  version: 1,
  id: "widget-e2e-streaming",
  name: "Widget e2e: streamed answer",
  variables: [{ name: "question", type: "string", scope: "conversation" }],
  settings: { language: "en" },
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "ask-question",
      kind: "ask",
      position: { x: 0, y: 140 },
      data: {
        prompt: "What's your name?",
        input: { type: "text", minLength: 1 },
        saveTo: "question",
        maxRetries: 1,
      },
    },
    {
      id: "answer",
      kind: "llm",
      position: { x: 0, y: 280 },
      data: {
        prompt: "Answer in two sentences: {{ question }}",
        mode: { type: "reply", stream: true },
        historyWindow: 2,
        timeoutMs: 15000,
      },
    },
    { id: "done", kind: "end", position: { x: 0, y: 420 }, data: { outcome: "completed" } },
  ],
  edges: [
    { id: "start:next:ask-question", source: "start", sourceHandle: "next", target: "ask-question" },
    { id: "ask-question:error:done", source: "ask-question", sourceHandle: "error", target: "done" },
    { id: "ask-question:next:answer", source: "ask-question", sourceHandle: "next", target: "answer" },
    { id: "answer:next:done", source: "answer", sourceHandle: "next", target: "done" },
    { id: "answer:error:done", source: "answer", sourceHandle: "error", target: "done" },
  ],
} as const;
