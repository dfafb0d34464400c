/**
 * A small flow for inbox tests (internal to tests): greets, asks a question, hands off to the
 * `vip` queue (high priority), then after the hand back says "Back with the bot" and asks again.
 */
export const handoffFlow = (): Record<string, unknown> => {
  const node = (id: string, kind: string, data: Record<string, unknown>) => ({
    id,
    kind,
    position: { x: 0, y: 0 },
    label: id,
    data,
  });
  const edge = (source: string, target: string, handle = "next") => ({
    id: `${source}:${handle}:${target}`,
    source,
    sourceHandle: handle,
    target,
  });
  return {
    version: 1,
    id: "handoff-test",
    name: "Handoff test",
    variables: [{ name: "question", type: "string", scope: "conversation" }],
    settings: { language: "en", typingDelayMs: 0, fallback: { message: "Sorry." } },
    nodes: [
      node("start", "start", {}),
      node("hello", "message", { text: "Hello!" }),
      node("ask", "ask", {
        prompt: "What do you need?",
        input: { type: "text", minLength: 1, maxLength: 500 },
        saveTo: "question",
        retryPrompt: "Tell me.",
        maxRetries: 2,
      }),
      node("human", "handoff", {
        message: "Connecting you to a person.",
        queue: "vip",
        priority: "high",
        reason: "Needs help: {{ question }}",
      }),
      node("back", "message", { text: "Back with the bot" }),
      node("again", "ask", {
        prompt: "Anything else?",
        input: { type: "text", minLength: 1, maxLength: 500 },
        saveTo: "question",
        retryPrompt: "Tell me.",
        maxRetries: 2,
      }),
      node("done", "end", {}),
    ],
    edges: [
      edge("start", "hello"),
      edge("hello", "ask"),
      edge("ask", "human"),
      edge("human", "back"),
      edge("back", "again"),
      edge("again", "done"),
      edge("ask", "done", "error"),
      edge("again", "done", "error"),
    ],
  };
};
