import { type PersistedSnapshot, persistedSnapshotSchema, turnEventSchema } from "@parley/engine";
import { z } from "zod";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { portsFor } from "../conversations/ports";
import { parseInput } from "../errors";
import { prepareTestTurn, publishedSubflows, streamTestTurn, type TestTurnEvent } from "./test-turn";

/** One turn of the designer's test chat: the document as it is in the designer, saved or not. */
export const testTurnInputSchema = z.object({
  botId: z.string().min(1).max(64),
  document: z.record(z.string(), z.unknown()),
  /** The snapshot the previous turn ended with; null to start. */
  snapshot: persistedSnapshotSchema.nullable(),
  event: turnEventSchema,
  /** The test conversation's id (the designer's, never stored). */
  conversationId: z.string().min(1).max(64),
});
/** One turn of the test chat. */
export type TestTurnInput = z.input<typeof testTurnInputSchema>;

/**
 * Runs one turn of the test chat with the bot's real ports (its model routes and budget, knowledge
 * base, guarded HTTP with the tenant's integration credentials), so a draft answers the way the
 * published bot will. Because it spends real credentials and budget it needs `flows:write`: a role
 * that may not change flows may not run them against partners either. The draft is compiled before
 * anything streams (a draft that cannot run is an `invalid` error); then the turn's events arrive
 * as they happen, ending with `done` or `error`. `signal` cancels the turn's effects.
 */
export async function runTestTurn(
  ctx: ServiceContext,
  input: TestTurnInput,
  options: { signal?: AbortSignal } = {},
): Promise<AsyncGenerator<TestTurnEvent>> {
  authorize(ctx, "flows:write");
  const data = parseInput(testTurnInputSchema, input, "test turn");
  const bot = await loadBot(ctx, data.botId);
  const turn = prepareTestTurn({
    document: data.document,
    subflows: await publishedSubflows(tenantDb(ctx), bot.id),
    snapshot: data.snapshot as PersistedSnapshot | null,
    event: data.event,
    conversationId: data.conversationId,
    botId: bot.id,
  });
  const ports = portsFor(
    ctx.deps,
    { tenantId: ctx.tenantId, botId: bot.id, conversationId: data.conversationId },
    // Integrations with a mock answer with it here instead of calling the real API.
    { mode: "test" },
  );
  return streamTestTurn(turn, { ports, ...(options.signal ? { signal: options.signal } : {}) });
}
