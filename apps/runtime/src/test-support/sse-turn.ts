import type { JsonBody } from "./runtime-harness";

/** One server-sent event of a streamed turn: its name and its decoded JSON data. */
export interface SseEvent {
  event: string | undefined;
  data: JsonBody;
}

/**
 * Sends `text` to a conversation asking for a streamed (SSE) answer and reads every event of the
 * turn (tokens, messages, then done). The response is returned too, for its headers.
 */
export async function sendStreamed(
  base: string,
  key: string,
  conversationId: string,
  text: string,
): Promise<{ response: Response; events: SseEvent[] }> {
  const response = await fetch(`${base}/api/v1/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "text/event-stream",
    },
    body: JSON.stringify({ text }),
  });
  const events = (await response.text())
    .trim()
    .split("\n\n")
    .map((block) => ({
      event: /event: (.*)/.exec(block)?.[1],
      data: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? "null"),
    }));
  return { response, events };
}
