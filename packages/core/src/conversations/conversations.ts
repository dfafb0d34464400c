import {
  type ConversationStatus,
  type CreateConversationResponse,
  createConversationRequestSchema,
  sendMessageRequestSchema,
  type TranscriptEntry,
  type TranscriptResponse,
  type TurnResponse,
} from "@parley/contract";
import type { Conversation, TenantClient } from "@parley/db";
import {
  type LlmMessage,
  type OutgoingMessage,
  type PersistedSnapshot,
  runTurn,
  type StreamChunk,
  type TurnEventInput,
  type TurnResult,
} from "@parley/engine";
import { type Lock, LockTimeoutError, type RateLimiter } from "@parley/infra";
import { z } from "zod";
import { loadBot } from "../bots/bots";
import { authorize, type CoreDeps, nowOf, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid, newId } from "../internal/ids";
import { enqueueWebhookDeliveries, recordWebhookDeliveries, type WebhookEvent } from "../webhooks/webhooks";
import { portsFor } from "./ports";
import { type LoadedVersion, loadVersion } from "./versions";

/** Queue that fires wait-node timers. */
export const TIMER_QUEUE = "timers";

/** Options of a turn: receive LLM tokens as they are generated (SSE). */
export interface TurnCallOptions {
  onToken?: (chunk: { nodeId: string; streamId: string; token: string }) => void;
}

/** What a transcript entry's `message` holds for people's entries. */
type InboundEntry =
  | {
      author: "user";
      payload: { type: "user_text"; text: string } | { type: "user_choice"; values: string[] };
      text: string;
    }
  | { author: "agent"; payload: { type: "agent_text"; text: string }; text: string };

// A short lease: a process that dies holding it blocks the conversation only this long.
const LOCK_OPTIONS = { ttlMs: 6_000, waitMs: 5_000 };
const HISTORY_MESSAGES = 20;

const limiters = new WeakMap<CoreDeps, RateLimiter>();

/** Spends one point of the conversation's turn budget or throws `rate-limited` (internal). */
async function consumeConversationBudget(deps: CoreDeps, conversationId: string): Promise<void> {
  let limiter = limiters.get(deps);
  if (!limiter) {
    limiter = deps.infra.rateLimiter({
      name: "conversation",
      points: deps.conversationRateLimit ?? 120,
      durationSeconds: 60,
    });
    limiters.set(deps, limiter);
  }
  const decision = await limiter.consume(conversationId);
  if (!decision.allowed) {
    throw new ServiceError(
      "rate_limited",
      "rate-limited",
      "too many messages in this conversation; slow down",
      {
        retryAfterSeconds: decision.retryAfterSeconds,
      },
    );
  }
}

/** Runs `fn` holding the conversation's lock; a lock that stays busy becomes `conversation-busy` (internal). */
async function withConversationLock<T>(
  ctx: ServiceContext,
  conversationId: string,
  fn: (lock: Lock) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.deps.infra.locks.withLock(`conversation:${conversationId}`, fn, LOCK_OPTIONS);
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      throw new ServiceError(
        "unavailable",
        "conversation-busy",
        "the conversation is busy with another message; retry shortly",
        {
          retryAfterSeconds: 1,
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Key of a conversation's hot-cache entry (Redis in cluster mode, memory in embedded mode). */
const hotKey = (tenantId: string, conversationId: string) => `conv:${tenantId}:${conversationId}`;
/** Idle conversations leave the hot cache after this long. */
const HOT_TTL_MS = 15 * 60_000;

/**
 * Loads a conversation the actor may see, or throws `conversation-not-found` (internal). With
 * `hot`, the hot cache answers first: it is only a cache, because every commit is a
 * compare-and-set on `lastSeq`, so a stale entry makes the commit fail and the turn is redone
 * from the database (see {@link withFreshRetry}).
 */
async function loadConversation(
  ctx: ServiceContext,
  db: TenantClient,
  conversationId: string,
  hot = false,
): Promise<Conversation> {
  let conversation: Conversation | null = null;
  if (isUuid(conversationId)) {
    if (hot)
      conversation =
        (await ctx.deps.infra.cache.get<Conversation>(hotKey(ctx.tenantId, conversationId))) ?? null;
    conversation ??= await db.conversation.findFirst({ where: { id: conversationId } });
  }
  if (!conversation || (ctx.actor.type === "widget" && conversation.botId !== ctx.actor.botId)) {
    throw notFound("conversation", conversationId);
  }
  return conversation;
}

/** Runs a step from the hot cache; if the cache was stale (the commit's compare-and-set failed), once more from the database. */
async function withFreshRetry<T>(fn: (hot: boolean) => Promise<T>): Promise<T> {
  try {
    return await fn(true);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "conversation-moved") return fn(false);
    throw error;
  }
}

function textOf(message: OutgoingMessage): string | null {
  switch (message.type) {
    case "text":
    case "ask":
      return message.text;
    case "quick_replies":
    case "handoff":
    case "end":
      return message.text ?? null;
    case "card":
      return message.title;
    case "image":
      return message.alt ?? null;
    default:
      return null;
  }
}

const timerJobId = (conversationId: string, timerId: string) =>
  `timer:${conversationId}:${timerId.replace(/[^A-Za-z0-9_.:@-]/g, "_")}`;

const pendingTimerOf = (snapshot: unknown): string | undefined =>
  ((snapshot as PersistedSnapshot | null)?.context?.rt as { timer?: { id?: string } } | undefined)?.timer?.id;

async function historyOf(db: TenantClient, conversationId: string): Promise<LlmMessage[]> {
  const rows = await db.message.findMany({
    where: { conversationId, text: { not: null } },
    orderBy: { seq: "desc" },
    take: HISTORY_MESSAGES,
    select: { author: true, text: true },
  });
  return rows
    .reverse()
    .map((row) => ({ role: row.author === "user" ? "user" : "assistant", content: row.text ?? "" }));
}

/** Everything one commit writes, in one transaction (internal). */
interface CommitPlan {
  inbound?: InboundEntry & { clientMessageId?: string; authorUserId?: string | null };
  outgoing: readonly OutgoingMessage[];
  /** Authored by `system` instead of `bot` (the end of a conversation closed through the API). */
  outgoingAuthor?: "bot" | "system";
  status: ConversationStatus;
  snapshot?: unknown;
  variables?: Record<string, unknown>;
  turn?: { result: TurnResult; latencyMs: number };
  /** The conversation row does not exist yet (its first turn). */
  create?: boolean;
}

/**
 * Writes a conversation's step in ONE transaction: the messages (sequence numbers continue
 * `lastSeq`), the conversation row (compare-and-set on `lastSeq`, so a holder that lost its lock
 * cannot overwrite a newer step), analytics events and webhook deliveries. After commit: timers
 * and webhook jobs are enqueued (internal).
 */
async function commitStep(ctx: ServiceContext, conversation: Conversation, plan: CommitPlan): Promise<void> {
  const deps = ctx.deps;
  const now = nowOf(deps);
  const db = tenantDb(ctx);
  const previousStatus = conversation.status;
  const events: WebhookEvent[] = [];
  const analytics: { type: string; properties: Record<string, unknown> }[] = [];
  let seq = conversation.lastSeq;
  const rows: Record<string, unknown>[] = [];
  if (plan.inbound) {
    seq += 1;
    rows.push({
      id: newId(),
      tenantId: ctx.tenantId,
      conversationId: conversation.id,
      seq,
      author: plan.inbound.author,
      authorUserId: plan.inbound.authorUserId ?? null,
      payload: plan.inbound.payload,
      text: plan.inbound.text,
      clientMessageId: plan.inbound.clientMessageId ?? null,
      createdAt: now,
    });
    events.push({
      type: "message",
      occurredAt: now,
      data: {
        conversationId: conversation.id,
        botId: conversation.botId,
        seq,
        author: plan.inbound.author,
        message: plan.inbound.payload,
      },
    });
  }
  for (const message of plan.outgoing) {
    seq += 1;
    rows.push({
      id: newId(),
      tenantId: ctx.tenantId,
      conversationId: conversation.id,
      seq,
      author: plan.outgoingAuthor ?? "bot",
      payload: message,
      text: textOf(message),
      nodeId: message.nodeId || null,
      createdAt: now,
    });
    events.push({
      type: "message",
      occurredAt: now,
      data: {
        conversationId: conversation.id,
        botId: conversation.botId,
        seq,
        author: plan.outgoingAuthor ?? "bot",
        message,
      },
    });
  }
  const base = { conversationId: conversation.id, botId: conversation.botId };
  if (plan.create) {
    events.unshift({
      type: "conversation.started",
      occurredAt: now,
      data: { ...base, channel: conversation.channel },
    });
    analytics.push({ type: "conversation.started", properties: { channel: conversation.channel } });
  }
  if (plan.status === "handoff" && previousStatus !== "handoff") {
    const handoff = plan.outgoing.find((message) => message.type === "handoff");
    events.push({ type: "handoff.requested", occurredAt: now, data: { ...base, handoff: handoff ?? null } });
    analytics.push({ type: "handoff.requested", properties: {} });
  }
  if (plan.status === "ended" && previousStatus !== "ended") {
    events.push({ type: "conversation.ended", occurredAt: now, data: base });
    analytics.push({
      type: "conversation.ended",
      properties: { turns: conversation.turnCount + (plan.turn ? 1 : 0) },
    });
  }
  if (plan.turn) {
    const trace = plan.turn.result.trace;
    analytics.push({
      type: "turn",
      properties: {
        latencyMs: Math.round(plan.turn.latencyMs * 100) / 100,
        status: plan.status,
        nodes: trace.nodes.map((node) => node.nodeId),
        effects: trace.effects.map((effect) => ({
          kind: effect.kind,
          outcome: effect.outcome,
          durationMs: effect.durationMs,
        })),
      },
    });
  }

  const deliveryIds = await db
    .$transaction(async (tx) => {
      const data = {
        status: plan.status,
        lastSeq: seq,
        lastActivityAt: now,
        ...(plan.turn ? { turnCount: { increment: 1 } } : {}),
        ...(plan.snapshot === undefined ? {} : { snapshot: plan.snapshot as never }),
        ...(plan.variables === undefined ? {} : { variables: plan.variables as never }),
        ...(plan.status === "handoff" && previousStatus !== "handoff" ? { handoffAt: now } : {}),
        ...(plan.status === "ended" && previousStatus !== "ended" ? { endedAt: now } : {}),
      };
      if (plan.create) {
        await tx.conversation.create({
          data: {
            id: conversation.id,
            tenantId: ctx.tenantId,
            botId: conversation.botId,
            flowId: conversation.flowId,
            flowVersionId: conversation.flowVersionId,
            contactId: conversation.contactId,
            channel: conversation.channel,
            metadata: conversation.metadata as never,
            startedAt: now,
            ...data,
            turnCount: 1,
          },
        });
      } else {
        const updated = await tx.conversation.updateMany({
          where: { id: conversation.id, lastSeq: conversation.lastSeq },
          data,
        });
        if (updated.count === 0) {
          throw new ServiceError(
            "unavailable",
            "conversation-moved",
            "the conversation moved on while this message was processed; retry",
            { retryAfterSeconds: 1 },
          );
        }
      }
      if (rows.length > 0) await tx.message.createMany({ data: rows as never });
      if (analytics.length > 0) {
        await tx.analyticsEvent.createMany({
          data: analytics.map((event) => ({
            id: newId(),
            tenantId: ctx.tenantId,
            type: event.type,
            botId: conversation.botId,
            flowVersionId: conversation.flowVersionId,
            conversationId: conversation.id,
            properties: event.properties as never,
            occurredAt: now,
          })),
        });
      }
      return recordWebhookDeliveries(tx, deps, ctx.tenantId, events);
    })
    .catch(async (error: unknown) => {
      await deps.infra.cache.delete(hotKey(ctx.tenantId, conversation.id)).catch(() => false);
      throw error;
    });
  const committed = {
    ...conversation,
    tenantId: ctx.tenantId,
    status: plan.status,
    lastSeq: seq,
    turnCount: conversation.turnCount + (plan.turn ? 1 : 0),
    ...(plan.snapshot === undefined ? {} : { snapshot: plan.snapshot }),
    ...(plan.variables === undefined ? {} : { variables: plan.variables }),
  };
  await deps.infra.cache
    .set(hotKey(ctx.tenantId, conversation.id), committed, { ttlMs: HOT_TTL_MS })
    .catch(() => {});

  // After commit: the step is durable; scheduling is idempotent (job ids), so a crash here is
  // repaired by the timer/webhook sweeps.
  const before = pendingTimerOf(conversation.snapshot);
  const after = plan.snapshot === undefined ? before : pendingTimerOf(plan.snapshot);
  if (before && before !== after)
    await deps.infra.queue.remove(TIMER_QUEUE, timerJobId(conversation.id, before)).catch(() => false);
  for (const timer of plan.turn?.result.timers ?? []) {
    await deps.infra.queue.add(
      TIMER_QUEUE,
      { tenantId: ctx.tenantId, conversationId: conversation.id, timerId: timer.timerId },
      {
        jobId: timerJobId(conversation.id, timer.timerId),
        delayMs: Math.max(0, timer.dueAt - now.getTime()),
        attempts: 5,
      },
    );
  }
  await enqueueWebhookDeliveries(deps, ctx.tenantId, deliveryIds).catch((error) =>
    deps.logger?.error(
      { error: String(error), conversationId: conversation.id },
      "webhook enqueue failed (the sweep retries)",
    ),
  );
  if (plan.turn) {
    deps.observer?.turnCompleted?.({
      tenantId: ctx.tenantId,
      botId: conversation.botId,
      latencyMs: plan.turn.latencyMs,
      status: plan.status,
    });
    for (const effect of plan.turn.result.trace.effects) {
      if (effect.outcome !== "ok")
        deps.observer?.effectFailed?.({ kind: effect.kind, outcome: effect.outcome });
    }
  }
  if (plan.create) deps.observer?.conversationStarted?.();
  if (plan.status === "ended" && previousStatus !== "ended") deps.observer?.conversationEnded?.();
}

/** Runs the engine for one event on a conversation (internal). */
async function runEngine(
  ctx: ServiceContext,
  conversation: Conversation,
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

/**
 * Starts a conversation with a bot on the published version of its entry flow (the conversation
 * stays pinned to that version) and runs the first turn. Needs `conversations:write` (a widget
 * key only for its own bot). Unknown variables are refused (`unknown-variable`).
 */
export async function startConversation(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof createConversationRequestSchema>,
  options: TurnCallOptions = {},
): Promise<CreateConversationResponse> {
  authorize(ctx, "conversations:write");
  const data = parseInput(createConversationRequestSchema, input, "conversation");
  const db = tenantDb(ctx);
  const flow = await entryOf(ctx, db, botId);
  if (!flow?.publishedVersionId) {
    throw new ServiceError("conflict", "bot-not-published", `bot ${botId} has no published flow to talk to`);
  }
  const version = await loadVersion(db, flow.publishedVersionId);
  const variables = data.variables ?? {};
  const unknown = Object.keys(variables).filter((name) => !version.declared.has(name));
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
  const contactId = data.user ? await contactFor(db, data.channel, data.user) : null;
  const conversation = {
    id: newId(),
    tenantId: ctx.tenantId,
    botId,
    flowId: flow.id,
    flowVersionId: version.id,
    contactId,
    channel: data.channel,
    status: "waiting",
    snapshot: null,
    lastSeq: 0,
    turnCount: 0,
    metadata: data.user ? { user: data.user } : {},
  } as unknown as Conversation;
  const turn = await runEngine(
    ctx,
    conversation,
    version,
    { type: "conversation.start", variables },
    {
      ...options,
      ...(data.user?.name ? { contactName: data.user.name } : {}),
    },
  );
  await commitStep(ctx, conversation, {
    outgoing: turn.result.messages,
    status: turn.result.status,
    snapshot: turn.result.snapshot,
    variables: turn.result.variables,
    turn,
    create: true,
  });
  return { conversationId: conversation.id, messages: turn.result.messages, status: turn.result.status };
}

async function contactFor(
  db: TenantClient,
  channel: Conversation["channel"],
  user: { id: string; name?: string },
): Promise<string> {
  const identity = await db.contactIdentity.findFirst({
    where: { channel, externalId: user.id },
    select: { contactId: true },
  });
  if (identity) return identity.contactId;
  const contactId = newId();
  try {
    await db.$transaction(async (tx) => {
      await tx.contact.create({
        data: { id: contactId, tenantId: db.tenantId, displayName: user.name ?? null },
      });
      await tx.contactIdentity.create({
        data: { id: newId(), tenantId: db.tenantId, contactId, channel, externalId: user.id },
      });
    });
    return contactId;
  } catch (error) {
    // Someone created the same identity concurrently: use theirs.
    const raced = await db.contactIdentity.findFirst({
      where: { channel, externalId: user.id },
      select: { contactId: true },
    });
    if (raced) return raced.contactId;
    throw error;
  }
}

/** Cache key of a bot's entry flow and its published version (dropped on publish and bot changes). */
export const entryCacheKey = (tenantId: string, botId: string) => `entry:${tenantId}:${botId}`;

/** The bot's entry flow and published version, through a short-lived cache (internal). */
async function entryOf(
  ctx: ServiceContext,
  db: TenantClient,
  botId: string,
): Promise<{ id: string; publishedVersionId: string | null } | null> {
  if (ctx.actor.type === "widget" && ctx.actor.botId !== botId) throw notFound("bot", botId);
  const entry = await ctx.deps.infra.cache.getOrSet<{
    found: boolean;
    id?: string;
    publishedVersionId?: string | null;
  }>(
    entryCacheKey(ctx.tenantId, botId),
    async () => {
      const bot = await loadBot(ctx, botId).catch((error) => {
        if (error instanceof ServiceError && error.kind === "not_found") return undefined;
        throw error;
      });
      if (!bot) return { found: false };
      const flow = bot.entryFlowId
        ? await db.flow.findFirst({
            where: { id: bot.entryFlowId, archivedAt: null },
            select: { id: true, publishedVersionId: true },
          })
        : null;
      return { found: true, ...(flow ? { id: flow.id, publishedVersionId: flow.publishedVersionId } : {}) };
    },
    { ttlMs: 10_000 },
  );
  if (!entry.found) throw notFound("bot", botId);
  return entry.id ? { id: entry.id, publishedVersionId: entry.publishedVersionId ?? null } : null;
}

/** The reply to a message already processed (same `clientMessageId`): what the bot said after it. */
async function replay(
  db: TenantClient,
  conversation: Conversation,
  clientMessageId: string,
): Promise<TurnResponse | undefined> {
  const seen = await db.message.findFirst({
    where: { conversationId: conversation.id, clientMessageId },
    select: { seq: true },
  });
  if (!seen) return undefined;
  const next = await db.message.findFirst({
    where: { conversationId: conversation.id, seq: { gt: seen.seq }, author: { in: ["user", "agent"] } },
    orderBy: { seq: "asc" },
    select: { seq: true },
  });
  const replies = await db.message.findMany({
    where: {
      conversationId: conversation.id,
      seq: { gt: seen.seq, ...(next ? { lt: next.seq } : {}) },
      author: { in: ["bot", "system"] },
    },
    orderBy: { seq: "asc" },
    select: { payload: true },
  });
  return { messages: replies.map((reply) => reply.payload as OutgoingMessage), status: conversation.status };
}

/**
 * Sends a user's (or, during a handoff, an agent's) message and runs the bot's turn: per-
 * conversation lock -> load -> engine -> one transaction -> release -> reply. A resend with the same
 * `clientMessageId` is answered again without running twice. While in `handoff` the bot stays
 * silent; agents need `conversations:agent`.
 */
export async function sendMessage(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof sendMessageRequestSchema>,
  options: TurnCallOptions = {},
): Promise<TurnResponse> {
  const data = parseInput(sendMessageRequestSchema, input, "message");
  authorize(ctx, data.author === "agent" ? "conversations:agent" : "conversations:write");
  const db = tenantDb(ctx);
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  await consumeConversationBudget(ctx.deps, conversationId);
  return withConversationLock(ctx, conversationId, (lock) =>
    withFreshRetry(async (hot) => {
      const conversation = await loadConversation(ctx, db, conversationId, hot);
      if (data.clientMessageId) {
        const previous = await replay(db, conversation, data.clientMessageId);
        if (previous) return previous;
      }
      if (conversation.status === "ended") {
        throw new ServiceError("conflict", "conversation-ended", `conversation ${conversationId} has ended`);
      }
      const clientMessageId = data.clientMessageId ? { clientMessageId: data.clientMessageId } : {};
      if (data.author === "agent") {
        if (conversation.status !== "handoff" || data.text === undefined) {
          throw new ServiceError(
            "conflict",
            "not-in-handoff",
            conversation.status !== "handoff"
              ? "agents can reply only while the conversation is handed off"
              : "agents reply with text",
          );
        }
        await commitStep(ctx, conversation, {
          inbound: {
            author: "agent",
            payload: { type: "agent_text", text: data.text },
            text: data.text,
            authorUserId: ctx.actor.type === "user" ? ctx.actor.userId : null,
            ...clientMessageId,
          },
          outgoing: [],
          status: "handoff",
        });
        return { messages: [], status: "handoff" };
      }
      const values =
        data.choice === undefined ? undefined : Array.isArray(data.choice) ? data.choice : [data.choice];
      const inbound: CommitPlan["inbound"] =
        values === undefined
          ? {
              author: "user",
              payload: { type: "user_text", text: data.text ?? "" },
              text: data.text ?? "",
              ...clientMessageId,
            }
          : {
              author: "user",
              payload: { type: "user_choice", values },
              text: values.join(", "),
              ...clientMessageId,
            };
      if (conversation.status === "handoff") {
        await commitStep(ctx, conversation, { inbound, outgoing: [], status: "handoff" });
        return { messages: [], status: "handoff" };
      }
      const version = await loadVersion(db, conversation.flowVersionId);
      const event: TurnEventInput =
        values === undefined ? { type: "user.text", text: data.text ?? "" } : { type: "user.choice", values };
      const turn = await runEngine(ctx, conversation, version, event, {
        ...options,
        signal: lock.signal,
        ...(version.needsHistory ? { history: await historyOf(db, conversation.id) } : {}),
      });
      lock.signal.throwIfAborted();
      await commitStep(ctx, conversation, {
        inbound,
        outgoing: turn.result.messages,
        status: turn.result.status,
        snapshot: turn.result.snapshot,
        variables: turn.result.variables,
        turn,
      });
      return { messages: turn.result.messages, status: turn.result.status };
    }),
  );
}

/**
 * Hands a conversation back from the agent to the bot (`handoff.resolved`), which continues the
 * flow after the handoff node. Needs `conversations:agent`.
 */
export async function resolveHandoff(
  ctx: ServiceContext,
  conversationId: string,
  input: { variables?: Record<string, unknown> } = {},
  options: TurnCallOptions = {},
): Promise<TurnResponse> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(
    z.object({ variables: z.record(z.string(), z.unknown()).optional() }).strict(),
    input,
    "hand back",
  );
  const db = tenantDb(ctx);
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  return withConversationLock(ctx, conversationId, (lock) =>
    withFreshRetry(async (hot) => {
      const conversation = await loadConversation(ctx, db, conversationId, hot);
      if (conversation.status !== "handoff") {
        throw new ServiceError(
          "conflict",
          "not-in-handoff",
          `conversation ${conversationId} is not handed off`,
        );
      }
      const version = await loadVersion(db, conversation.flowVersionId);
      const turn = await runEngine(
        ctx,
        conversation,
        version,
        { type: "handoff.resolved", variables: data.variables ?? {} },
        {
          ...options,
          signal: lock.signal,
        },
      );
      await commitStep(ctx, conversation, {
        outgoing: turn.result.messages,
        status: turn.result.status,
        snapshot: turn.result.snapshot,
        variables: turn.result.variables,
        turn,
      });
      return { messages: turn.result.messages, status: turn.result.status };
    }),
  );
}

/** Ends a conversation (idempotent); the bot says nothing more. Needs `conversations:write`. */
export async function endConversation(ctx: ServiceContext, conversationId: string): Promise<TurnResponse> {
  authorize(ctx, "conversations:write");
  const db = tenantDb(ctx);
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  return withConversationLock(ctx, conversationId, () =>
    withFreshRetry(async (hot) => {
      const conversation = await loadConversation(ctx, db, conversationId, hot);
      if (conversation.status === "ended") return { messages: [], status: "ended" };
      const end: OutgoingMessage = { type: "end", nodeId: "", reason: "completed", outcome: "closed" };
      await commitStep(ctx, conversation, { outgoing: [end], outgoingAuthor: "system", status: "ended" });
      return { messages: [end], status: "ended" };
    }),
  );
}

/** Payload of a timer job. */
export const timerJobSchema = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
  timerId: z.string().min(1),
});

/**
 * Job handler of the `timers` queue: fires a wait node's timer if the conversation still waits on
 * exactly that timer (a reply that came first, or a duplicate delivery, makes it a no-op).
 */
export async function fireTimer(deps: CoreDeps, data: unknown): Promise<void> {
  const job = timerJobSchema.parse(data);
  const ctx: ServiceContext = { deps, tenantId: job.tenantId, actor: { type: "system", label: "timer" } };
  const db = tenantDb(ctx);
  await withConversationLock(ctx, job.conversationId, async (lock) => {
    const conversation = await db.conversation.findFirst({ where: { id: job.conversationId } });
    // Gone, no longer waiting, or waiting on another timer (the user answered first): nothing to do.
    if (!conversation) return;
    if (conversation.status !== "waiting" || pendingTimerOf(conversation.snapshot) !== job.timerId) return;
    const version = await loadVersion(db, conversation.flowVersionId);
    const turn = await runEngine(
      ctx,
      conversation,
      version,
      { type: "timer.fired", timerId: job.timerId },
      { signal: lock.signal },
    );
    await commitStep(ctx, conversation, {
      outgoing: turn.result.messages,
      status: turn.result.status,
      snapshot: turn.result.snapshot,
      variables: turn.result.variables,
      turn,
    });
  });
}

/** One conversation's transcript. Needs `conversations:read` (a widget key: its bot's conversations). */
export async function getConversation(
  ctx: ServiceContext,
  conversationId: string,
): Promise<TranscriptResponse> {
  authorize(ctx, "conversations:read");
  const db = tenantDb(ctx);
  const conversation = await loadConversation(ctx, db, conversationId);
  const messages = await db.message.findMany({
    where: { conversationId },
    orderBy: { seq: "asc" },
    select: { seq: true, author: true, createdAt: true, payload: true },
  });
  return {
    conversationId,
    botId: conversation.botId,
    status: conversation.status,
    channel: conversation.channel,
    startedAt: conversation.startedAt.toISOString(),
    endedAt: conversation.endedAt?.toISOString() ?? null,
    entries: messages.map(
      (message): TranscriptEntry => ({
        seq: message.seq,
        author: message.author,
        createdAt: message.createdAt.toISOString(),
        message: message.payload as TranscriptEntry["message"],
      }),
    ),
  };
}

/** Filters and paging of {@link listConversations}. */
export const listConversationsQuerySchema = z
  .object({
    status: z.enum(["waiting", "handoff", "ended"]).optional(),
    channel: z.enum(["web", "api", "whatsapp", "messenger", "slack", "teams"]).optional(),
    /** Only conversations started at or after this ISO date-time. */
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** `nextCursor` of the previous page. */
    cursor: z.string().optional(),
  })
  .strict();

/** One row of a conversation list. */
export const conversationSummarySchema = z.object({
  conversationId: z.string(),
  status: z.enum(["waiting", "handoff", "ended"]),
  channel: z.string(),
  flowVersionId: z.string(),
  contactId: z.string().nullable(),
  turnCount: z.number().int(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  endedAt: z.string().nullable(),
});

/** A page of conversations. */
export const conversationPageSchema = z.object({
  items: z.array(conversationSummarySchema),
  nextCursor: z.string().nullable(),
});
/** A page of conversations. */
export type ConversationPage = z.infer<typeof conversationPageSchema>;

/** A bot's conversations, newest first, with filters and cursor paging. Needs `conversations:read`. */
export async function listConversations(
  ctx: ServiceContext,
  botId: string,
  query: z.input<typeof listConversationsQuerySchema> = {},
): Promise<ConversationPage> {
  authorize(ctx, "conversations:read");
  if (ctx.actor.type === "widget")
    throw new ServiceError("forbidden", "forbidden", "a publishable key cannot list conversations");
  const filters = parseInput(listConversationsQuerySchema, query, "query");
  await loadBot(ctx, botId);
  if (filters.cursor !== undefined && !isUuid(filters.cursor)) {
    throw new ServiceError("invalid", "invalid-cursor", "cursor is not a cursor this API returned", {
      errors: [{ path: "cursor", message: "unknown cursor" }],
    });
  }
  const rows = await tenantDb(ctx).conversation.findMany({
    where: {
      botId,
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.channel ? { channel: filters.channel } : {}),
      ...(filters.since || filters.until
        ? {
            startedAt: {
              ...(filters.since ? { gte: new Date(filters.since) } : {}),
              ...(filters.until ? { lt: new Date(filters.until) } : {}),
            },
          }
        : {}),
      ...(filters.cursor ? { id: { lt: filters.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    items: page.map((row) => ({
      conversationId: row.id,
      status: row.status,
      channel: row.channel,
      flowVersionId: row.flowVersionId,
      contactId: row.contactId,
      turnCount: row.turnCount,
      startedAt: row.startedAt.toISOString(),
      lastActivityAt: row.lastActivityAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > filters.limit ? page.at(-1)!.id : null,
  };
}
