import { typingRequestSchema } from "@parley/contract";
import type { z } from "zod";
import { actorCan, authorize, type ServiceContext } from "../context";
import { parseInput } from "../errors";
import { publishConversationNotice } from "./conversation-events";
import { storeTypingSignal } from "./conversation-signals";
import { readInboxRow } from "./inbox-state";

/**
 * Says that the visitor (a publishable key) or an agent (a member or key with
 * `conversations:agent`) is typing in a conversation; the other side's event stream shows it.
 * Only a timestamp is stored, and only in embedded mode, for the streams of another process (see
 * conversation-signals). Needs `conversations:write` or `conversations:agent`.
 */
export async function reportTyping(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof typingRequestSchema> = {},
): Promise<void> {
  const agent = ctx.actor.type !== "widget" && actorCan(ctx.actor, "conversations:agent");
  if (!agent) authorize(ctx, "conversations:write");
  const data = parseInput(typingRequestSchema, input, "typing");
  const row = await readInboxRow(ctx, conversationId);
  if (row.status === "ended") return;
  const at = await storeTypingSignal(
    ctx,
    conversationId,
    agent ? "agent" : "visitor",
    data.typing,
    agent ? ctx.actor.label : undefined,
  );
  await publishConversationNotice(ctx, conversationId, {
    kind: "typing",
    at,
    data: agent
      ? { who: "agent", typing: data.typing, label: ctx.actor.label }
      : { who: "visitor", typing: data.typing },
  });
}
