import {
  type Channel,
  type CreateConversationResponse,
  createConversationRequestSchema,
} from "@parley/contract";
import { variableBoundsProblem } from "@parley/engine";
import type { z } from "zod";
import { authorize, type ServiceContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { assignNewConversation } from "../experiments/turn-assignment";
import { newId } from "../internal/ids";
import { commitStep } from "./commit";
import { turnPlan } from "./commit-plan";
import { carriedVariables, contactFor } from "./contacts";
import { runEngine, type TurnCallOptions } from "./engine-turn";
import { entryOf, flowEntryOf } from "./entry";
import type { LiveConversation } from "./load";
import { checkStartVariables } from "./start-variables";
import { loadVersion } from "./versions";
import { verifyIdentityToken } from "./visitor-identity";

/** A messaging-channel thread: the channel connection, the platform's thread (chat) and user ids. */
export interface ChannelThread {
  channelConfigId: string;
  threadId: string;
  externalUserId: string;
}

/** Who a start request speaks for: the channel, the contact's user (if any) and what to record. */
interface Starter {
  channel: Channel;
  user: { id: string; name?: string; verified?: { email?: string; phone?: string } } | null;
  metadata: Record<string, unknown>;
}

/**
 * Who starts the conversation (internal). A secret key names the user and channel it likes. A
 * publishable key is the widget on a public page, i.e. anyone: it starts `web` conversations of an
 * anonymous visitor, and only an identity token the site's server signed links the visitor to a
 * user (that user's web contact). `user` or another channel from a publishable key is refused, so
 * nobody can claim a customer's contact (their stored variables) by typing their phone number.
 */
async function whoStarts(
  ctx: ServiceContext,
  botId: string,
  data: z.output<typeof createConversationRequestSchema>,
): Promise<Starter> {
  const verified = data.identityToken ? await verifyIdentityToken(ctx, botId, data.identityToken) : null;
  const identified = verified
    ? {
        user: {
          id: verified.sub,
          ...(verified.name ? { name: verified.name } : {}),
          // Verified by the site's server: they link this visitor's contact to the same person's on
          // other channels (WhatsApp writes from the phone number).
          ...(verified.email || verified.phone
            ? {
                verified: {
                  ...(verified.email ? { email: verified.email } : {}),
                  ...(verified.phone ? { phone: verified.phone } : {}),
                },
              }
            : {}),
        },
        metadata: {
          user: {
            id: verified.sub,
            ...(verified.name ? { name: verified.name } : {}),
            ...(verified.email ? { email: verified.email } : {}),
            ...(verified.phone ? { phone: verified.phone } : {}),
            verified: true,
          },
        },
      }
    : null;
  if (ctx.actor.type !== "widget") {
    const channel = data.channel ?? "api";
    if (identified) return { channel, ...identified };
    return { channel, user: data.user ?? null, metadata: data.user ? { user: data.user } : {} };
  }
  if (data.user) {
    throw new ServiceError(
      "forbidden",
      "identity-token-required",
      "a publishable key cannot name the user: send an `identityToken` signed by your server with the bot's identity secret",
    );
  }
  if (data.channel !== undefined && data.channel !== "web") {
    throw new ServiceError(
      "forbidden",
      "channel-not-allowed",
      `a publishable key starts web conversations only, not ${data.channel}`,
    );
  }
  return identified ? { channel: "web", ...identified } : { channel: "web", user: null, metadata: {} };
}

/**
 * Starts a conversation with a bot on the published version of its entry flow (the conversation
 * stays pinned to that version) and runs the first turn. Needs `conversations:write` (a widget
 * key only for its own bot). Preset variables are checked by {@link checkStartVariables} (declared,
 * typed; with a publishable key also clientSettable and bounded). With a `user` (secret keys) or
 * a verified `identityToken`, the conversation belongs to that contact and starts with the
 * contact-scoped variables the contact's earlier conversations kept (the request's `variables` win).
 * With a publishable key and no token the visitor is anonymous (see `whoStarts`); its `visitorId` keeps
 * it in the same experiment variant across conversations.
 */
export async function startConversation(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof createConversationRequestSchema>,
  options: TurnCallOptions & {
    /** Start in this flow of the bot (its published version) instead of the entry flow (triggers). */
    flowId?: string;
    /**
     * A messaging-channel thread the conversation lives on (a trigger's proactive message): the
     * bot's first messages go out through the channel's delivery queue, and the person's replies
     * on the thread continue this conversation.
     */
    thread?: ChannelThread;
  } = {},
): Promise<CreateConversationResponse> {
  authorize(ctx, "conversations:write");
  const data = parseInput(createConversationRequestSchema, input, "conversation");
  const { flowId: startFlowId, thread, ...turnOptions } = options;
  const entry = startFlowId ? await flowEntryOf(ctx, botId, startFlowId) : await entryOf(ctx, botId);
  if (!entry.flowId || !entry.publishedVersionId) {
    throw new ServiceError("conflict", "bot-not-published", `bot ${botId} has no published flow to talk to`);
  }
  const conversationId = newId();
  const who = await whoStarts(ctx, botId, data);
  const contact = who.user ? await contactFor(ctx, who.channel, who.user) : null;
  // A running experiment assigns the conversation a variant, sticky per contact, else per visitor (the
  // widget's stable visitor id; namespaced so it never equals a contact id), else per conversation, and
  // may pin the flow version it starts on. The assignment is written with the conversation row.
  const assignment = await assignNewConversation(
    ctx,
    botId,
    entry.flowId,
    contact?.contactId ?? (data.visitorId ? `visitor:${data.visitorId}` : conversationId),
  );
  const version = await loadVersion(ctx, assignment?.flowVersionId ?? entry.publishedVersionId);
  const given = data.variables ?? {};
  checkStartVariables(ctx, version, given);
  const outOfBounds = variableBoundsProblem(given);
  if (outOfBounds) {
    throw new ServiceError("invalid", "variable-too-large", outOfBounds.message, {
      errors: [{ path: `variables.${outOfBounds.name}`, message: outOfBounds.message }],
    });
  }
  const variables = { ...(contact ? carriedVariables(version, contact.attributes) : {}), ...given };
  const conversation: LiveConversation = {
    id: conversationId,
    tenantId: ctx.tenantId,
    botId,
    flowId: entry.flowId,
    flowVersionId: version.id,
    contactId: contact?.contactId ?? null,
    channel: who.channel,
    status: "waiting",
    // What the conversation starts from: contact-scoped values unchanged by the first turn are not rewritten.
    variables: variables as LiveConversation["variables"],
    snapshot: null,
    lastSeq: 0,
    turnCount: 0,
    experimentId: assignment?.experimentId ?? null,
    experimentVariant: assignment?.variant ?? null,
  };
  const turn = await runEngine(
    ctx,
    conversation,
    version,
    { type: "conversation.start", variables },
    {
      ...turnOptions,
      ...(who.user?.name ? { contactName: who.user.name } : {}),
      ...(assignment?.abSplitChoice ? { abSplitChoice: assignment.abSplitChoice } : {}),
    },
  );
  // The delivery job the commit queues reads the thread from the metadata (as for an inbound start).
  const metadata = thread ? { ...who.metadata, channel: thread } : who.metadata;
  await commitStep(ctx, conversation, {
    ...turnPlan(turn, version),
    create: {
      channel: who.channel,
      metadata,
      // Replies on the thread find the conversation by these columns, written in the commit's transaction.
      ...(thread
        ? { thread: { channelConfigId: thread.channelConfigId, externalThreadId: thread.threadId } }
        : {}),
    },
  });
  return { conversationId: conversation.id, messages: turn.result.messages, status: turn.result.status };
}
