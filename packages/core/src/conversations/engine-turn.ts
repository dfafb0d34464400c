import {
  type LlmMessage,
  type PersistedSnapshot,
  runTurn,
  type StreamChunk,
  type TurnEventInput,
  type TurnResult,
} from "@parley/engine";
import type { ServiceContext } from "../context";
import type { LiveConversation } from "./load";
import { portsFor } from "./ports";
import type { LoadedVersion } from "./versions";

/** Options of a turn: receive LLM tokens as they are generated (SSE). */
export interface TurnCallOptions {
  onToken?: (chunk: { nodeId: string; streamId: string; token: string }) => void;
}

/** Runs the engine for one event on a conversation, timing it (internal). */
export async function runEngine(
  ctx: ServiceContext,
  conversation: LiveConversation,
  version: LoadedVersion,
  event: TurnEventInput,
  options: TurnCallOptions & { signal?: AbortSignal; history?: LlmMessage[]; contactName?: string },
): Promise<{ result: TurnResult; latencyMs: number }> {
  const started = performance.now();
  const result = await runTurn({
    machine: version.machine,
    snapshot: (conversation.snapshot as PersistedSnapshot | null) ?? null,
    event,
    conversation: {
      id: conversation.id,
      botId: conversation.botId,
      channel: conversation.channel,
      ...(conversation.contactId ? { contactId: conversation.contactId } : {}),
      ...(options.contactName ? { contactName: options.contactName } : {}),
    },
    ports: portsFor(ctx.deps, {
      tenantId: ctx.tenantId,
      botId: conversation.botId,
      conversationId: conversation.id,
    }),
    ...(options.history ? { history: options.history } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onToken
      ? {
          onStream: (chunk: StreamChunk) =>
            options.onToken?.({
              nodeId: chunk.nodeId,
              streamId: `${conversation.id}:${chunk.nodeId}`,
              token: chunk.token,
            }),
        }
      : {}),
  });
  return { result, latencyMs: performance.now() - started };
}

const HISTORY_MESSAGES = 20;

/** The conversation's recent messages as LLM history (only for flows that read it) (internal). */
export async function historyOf(ctx: ServiceContext, conversationId: string): Promise<LlmMessage[]> {
  const rows = await ctx.deps.db.conversationStore(ctx.tenantId).history(conversationId, HISTORY_MESSAGES);
  return rows.map((row) => ({ role: row.author === "user" ? "user" : "assistant", content: row.text }));
}
