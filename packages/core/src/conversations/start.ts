import { type CreateConversationResponse, createConversationRequestSchema } from "@parley/contract";
import { variableBoundsProblem } from "@parley/engine";
import type { z } from "zod";
import { authorize, type ServiceContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { newId } from "../internal/ids";
import { commitStep, turnPlan } from "./commit";
import { carriedVariables, contactFor } from "./contacts";
import { runEngine, type TurnCallOptions } from "./engine-turn";
import { entryOf } from "./entry";
import type { LiveConversation } from "./load";
import { loadVersion } from "./versions";

/**
 * Starts a conversation with a bot on the published version of its entry flow (the conversation
 * stays pinned to that version) and runs the first turn. Needs `conversations:write` (a widget
 * key only for its own bot). Unknown variables are refused (`unknown-variable`). With a `user`, the
 * conversation belongs to that contact and starts with the contact-scoped variables the contact's
 * earlier conversations kept (the request's `variables` win).
 */
export async function startConversation(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof createConversationRequestSchema>,
  options: TurnCallOptions = {},
): Promise<CreateConversationResponse> {
  authorize(ctx, "conversations:write");
  const data = parseInput(createConversationRequestSchema, input, "conversation");
  const entry = await entryOf(ctx, botId);
  if (!entry.flowId || !entry.publishedVersionId) {
    throw new ServiceError("conflict", "bot-not-published", `bot ${botId} has no published flow to talk to`);
  }
  const version = await loadVersion(ctx, entry.publishedVersionId);
  const given = data.variables ?? {};
  const unknown = Object.keys(given).filter((name) => !version.declared.has(name));
  if (unknown.length > 0) {
    throw new ServiceError(
      "invalid",
      "unknown-variable",
      `the flow declares no variable named ${unknown.join(", ")}`,
      {
        errors: unknown.map((name) => ({ path: `variables.${name}`, message: "not declared by the flow" })),
      },
    );
  }
  const outOfBounds = variableBoundsProblem(given);
  if (outOfBounds) {
    throw new ServiceError("invalid", "variable-too-large", outOfBounds.message, {
      errors: [{ path: `variables.${outOfBounds.name}`, message: outOfBounds.message }],
    });
  }
  const contact = data.user ? await contactFor(ctx, data.channel, data.user) : null;
  const variables = { ...(contact ? carriedVariables(version, contact.attributes) : {}), ...given };
  const conversation: LiveConversation = {
    id: newId(),
    tenantId: ctx.tenantId,
    botId,
    flowId: entry.flowId,
    flowVersionId: version.id,
    contactId: contact?.contactId ?? null,
    channel: data.channel,
    status: "waiting",
    // What the conversation starts from: contact-scoped values unchanged by the first turn are not rewritten.
    variables: variables as LiveConversation["variables"],
    snapshot: null,
    lastSeq: 0,
    turnCount: 0,
  };
  const turn = await runEngine(
    ctx,
    conversation,
    version,
    { type: "conversation.start", variables },
    { ...options, ...(data.user?.name ? { contactName: data.user.name } : {}) },
  );
  await commitStep(ctx, conversation, {
    ...turnPlan(turn, version),
    create: { channel: data.channel, metadata: data.user ? { user: data.user } : {} },
  });
  return { conversationId: conversation.id, messages: turn.result.messages, status: turn.result.status };
}
