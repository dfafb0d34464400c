import type { JsonClient, Script } from "../runtime/load";

/** Messages per conversation before a user starts another (stays under the per-conversation limit). */
const TURNS_PER_CONVERSATION = 20;

/**
 * Users of the one-llm-node flow: each talks to one conversation for TURNS_PER_CONVERSATION
 * messages, every message one model call; conversation starts go through `client` untimed.
 */
export function questionsScript(client: JsonClient, botId: string): Script {
  const conversations = new Map<number, { id: string; turns: number }>();
  return async (user, turn) => {
    let conversation = conversations.get(user);
    if (!conversation || conversation.turns >= TURNS_PER_CONVERSATION) {
      const started = await client.post(`/api/v1/bots/${botId}/conversations`, { user: { id: `u${user}` } });
      conversation = { id: started.conversationId!, turns: 0 };
      conversations.set(user, conversation);
    }
    conversation.turns += 1;
    const reply = await turn(`/api/v1/conversations/${conversation.id}/messages`, {
      text: "Is the oven wood-fired?",
    });
    if (reply.status !== "waiting") throw new Error(`expected the flow to wait again, got ${reply.status}`);
  };
}
