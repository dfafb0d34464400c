import {
  type AbSplitChoice,
  type LlmMessage,
  type PersistedSnapshot,
  runTurn,
  type StreamChunk,
  type TurnEventInput,
  type TurnResult,
} from "@parley/engine";
import { traced } from "@parley/infra";
import type { ServiceContext } from "../context";
import { abSplitChoiceOf } from "../experiments/turn-assignment";
import type { IntegrationCall } from "../integrations/integration-http";
import { guardEffects } from "./effect-guard";
import type { LiveConversation } from "./load";
import { portsFor } from "./ports";
import { recordTurnSpans } from "./turn-spans";
import type { LoadedVersion } from "./versions";

/** Options of a turn: receive LLM tokens as they are generated (SSE). */
export interface TurnCallOptions {
  onToken?: (chunk: { nodeId: string; streamId: string; token: string }) => void;
}

/** Runs the engine for one event on a conversation, timing it (internal). */
async function runEngineUntraced(
  ctx: ServiceContext,
  conversation: LiveConversation,
  version: LoadedVersion,
  event: TurnEventInput,
  options: TurnCallOptions & {
    signal?: AbortSignal;
    history?: LlmMessage[];
    contactName?: string;
    /** The ab-split branch an experiment assigned (else looked up from the conversation's assignment). */
    abSplitChoice?: AbSplitChoice;
    /**
     * Awaited before the turn's first effect: a conversation read from the hot cache is checked
     * against the database there, so a stale copy is refused before any effect ran (load.ts'
     * `freshnessCheck`), not after (which would run the effect twice on the retry). Its error
     * is what the turn then throws.
     */
    beforeEffects?: () => Promise<void>;
  },
): Promise<{ result: TurnResult; latencyMs: number; integrationCalls: IntegrationCall[] }> {
  const started = performance.now();
  const startedAt = Date.now();
  const abSplitChoice = options.abSplitChoice ?? (await abSplitChoiceOf(ctx, conversation));
  const integrationCalls: IntegrationCall[] = [];
  const ports = portsFor(
    ctx.deps,
    { tenantId: ctx.tenantId, botId: conversation.botId, conversationId: conversation.id },
    { onCall: (call) => integrationCalls.push(call) },
  );
  // An effect refused by the check fails inside the engine (error branch); the turn's outcome is
  // then void and the check's error is what the caller sees.
  let refused: { error: unknown } | undefined;
  const beforeEffects = options.beforeEffects;
  const guarded = beforeEffects
    ? guardEffects(ports, () =>
        beforeEffects().catch((error: unknown) => {
          refused ??= { error };
          throw error;
        }),
      )
    : ports;
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
      ...(abSplitChoice ? { abSplitChoice } : {}),
    },
    ports: guarded,
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
  }).catch((error: unknown) => {
    throw refused ? refused.error : error;
  });
  if (refused) throw refused.error;
  recordTurnSpans(result.trace, startedAt);
  return { result, latencyMs: performance.now() - started, integrationCalls };
}

/** {@link runEngineUntraced} as the `parley.turn.engine` span, with a span per node and effect (internal). */
export const runEngine = traced("parley.turn.engine", runEngineUntraced, (_ctx, conversation, version) => ({
  "parley.conversation.id": conversation.id,
  "parley.bot.id": conversation.botId,
  "parley.flow_version.id": version.id,
}));

/** Messages with text a turn's LLM history reads (Postgres keeps at least these once archived: hot-history). */
export const HISTORY_MESSAGES = 20;

const asLlmMessages = (rows: { author: string; text: string }[]): LlmMessage[] =>
  rows.map((row) => ({ role: row.author === "user" ? "user" : "assistant", content: row.text }));

/** The conversation's recent messages as LLM history (only for flows that read it) (internal). */
export async function historyOf(ctx: ServiceContext, conversationId: string): Promise<LlmMessage[]> {
  return asLlmMessages(
    await ctx.deps.db.conversationStore(ctx.tenantId).history(conversationId, HISTORY_MESSAGES),
  );
}

/**
 * The history and the conversation's current `lastSeq` (and, with `clientMessageId`, the seq of the
 * message that carried it) in one round trip (for a conversation read from the hot cache, whose
 * freshness is then checked with it) (internal).
 */
export async function historyAndLastSeqOf(
  ctx: ServiceContext,
  conversationId: string,
  clientMessageId?: string,
): Promise<{ history: LlmMessage[]; lastSeq: number | null; seenSeq: number | null }> {
  const read = await ctx.deps.db
    .conversationStore(ctx.tenantId)
    .historyAndLastSeq(conversationId, HISTORY_MESSAGES, clientMessageId);
  return { history: asLlmMessages(read.history), lastSeq: read.lastSeq, seenSeq: read.seenSeq };
}
