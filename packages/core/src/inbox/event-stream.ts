import type { ConversationEvent, TranscriptEntry } from "@parley/contract";
import { actorCan, authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { archivedEntries } from "../transcripts/whole-transcript";
import { visibleBotIds } from "./bot-access";
import { type ConversationNotice, conversationChannel, entryOf } from "./conversation-events";
import { SignalFollower, type SignalRow, signalSelect } from "./conversation-signals";
import { inboxStateOf, inboxStateSelect, readInboxRow } from "./inbox-state";
import { newestNotes } from "./notes";

/** Where a conversation's events go: an SSE response of the runtime or the studio. */
export interface ConversationEventSink {
  /** Sends one event; `id` (a message seq) is what a reconnecting client resumes after. */
  send(event: ConversationEvent, id?: number): void;
  /** Ends the stream (the caller lost access to the conversation). */
  close(): void;
}

/** Options of {@link openConversationEvents}. */
export interface ConversationEventOptions {
  /** The last event id the client saw (`Last-Event-ID`): messages after it are replayed first. */
  lastEventId?: number;
  /** Aborting it ends the stream and its subscription. */
  signal: AbortSignal;
  /** How often an `agent` member's access to the bot is checked again (default 3 s). */
  accessCheckMs?: number;
  /**
   * Embedded mode: how often the row is looked at for commits, typing and notes of another process
   * on the same database (default 200 ms); cluster mode relies on Redis pub/sub alone.
   */
  embeddedPollMs?: number;
}

const REPLAY_PAGE = 500;

/**
 * A conversation's live events: every new message (`message`, `id:` = its seq) and every change of
 * status, assignment or rating (`status`), plus typing and (for agents) internal notes. With
 * `lastEventId`, the messages after it are replayed from the database before live ones, and a
 * notice that skips seqs (another process's commit raced ahead) is filled from the database too, so
 * a client sees every message exactly once and in order. Events arrive through pub/sub (Redis in
 * cluster mode), published after each commit. Needs `conversations:read` (the widget: its bot's
 * conversations; agents: their bots', re-checked every few seconds, the stream closes on losing
 * access). Resolves once the subscription is live and the replay is queued.
 */
export async function openConversationEvents(
  ctx: ServiceContext,
  conversationId: string,
  options: ConversationEventOptions,
  sink: ConversationEventSink,
): Promise<void> {
  authorize(ctx, "conversations:read");
  const row = await readInboxRow(ctx, conversationId);
  const widget = ctx.actor.type === "widget";
  const agentView = !widget && actorCan(ctx.actor, "conversations:agent");
  const db = tenantDb(ctx);
  let lastSent = Math.min(options.lastEventId ?? row.lastSeq, row.lastSeq);
  let closed = false;
  let chain: Promise<void> = Promise.resolve();
  const run = (task: () => Promise<void> | void) => {
    chain = chain.then(task).catch((error) => {
      ctx.deps.logger?.warn(
        { error: String(error), conversationId },
        "conversation event stream step failed",
      );
    });
  };

  const sendEntry = (entry: TranscriptEntry) => {
    if (entry.seq <= lastSent) return;
    lastSent = entry.seq;
    sink.send({ event: "message", data: entry }, entry.seq);
  };
  const catchUp = async () => {
    for (;;) {
      const rows = await db.message.findMany({
        where: { conversationId, seq: { gt: lastSent } },
        orderBy: { seq: "asc" },
        take: REPLAY_PAGE,
        select: { seq: true, author: true, createdAt: true, payload: true },
      });
      const first = rows[0];
      if (first && first.seq > lastSent + 1) {
        // With MongoDB transcripts, messages older than Postgres's recent window live only there
        // (a client resuming after a long gap): replayed from the archive, in order.
        const older = await archivedEntries(ctx.deps, ctx.tenantId, conversationId, {
          afterSeq: lastSent,
          beforeSeq: first.seq,
        }).catch((error: unknown) => {
          ctx.deps.logger?.warn(
            { error: String(error), conversationId },
            "transcript archive unavailable; replaying Postgres's recent messages only",
          );
          return [];
        });
        for (const entry of older) sendEntry(entry);
      }
      for (const message of rows) sendEntry(entryOf(message));
      if (rows.length < REPLAY_PAGE || closed) return;
    }
  };
  const sendState = async () => {
    const current = await db.conversation.findFirst({
      where: { id: conversationId },
      select: inboxStateSelect,
    });
    if (!current || closed) return;
    const state = inboxStateOf(current);
    sink.send(
      {
        event: "status",
        data: widget
          ? { ...state, assignedUserId: null, assignedAt: null, queue: null, priority: null, reason: null }
          : state,
      },
      lastSent,
    );
  };
  const signals = new SignalFollower();
  const sendTyping = (data: Extract<ConversationEvent, { event: "typing" }>["data"]) => {
    if (widget ? data.who === "agent" : true) sink.send({ event: "typing", data });
  };
  // Typing and notes written by another process (embedded mode; see conversation-signals).
  const followSignals = async (row: SignalRow) => {
    for (const typing of signals.typingChanges(row, nowOf(ctx.deps).getTime())) sendTyping(typing);
    const count = signals.notesToRead(row);
    if (agentView && count > 0 && !closed) {
      for (const note of signals.unsent(await newestNotes(ctx, conversationId, count))) {
        sink.send({ event: "note", data: note });
      }
    }
  };
  const handle = async (notice: ConversationNotice) => {
    if (closed) return;
    switch (notice.kind) {
      case "committed": {
        const first = notice.entries[0];
        if (first && first.seq <= lastSent + 1) for (const entry of notice.entries) sendEntry(entry);
        else if (notice.lastSeq > lastSent) await catchUp();
        if (notice.stateChanged) await sendState();
        return;
      }
      case "state":
        if (notice.lastSeq > lastSent) await catchUp();
        await sendState();
        return;
      case "typing":
        if (signals.knowsTyping(notice.data.who, notice.at)) return;
        signals.sawTyping(notice.data.who, notice.at);
        sendTyping(notice.data);
        return;
      case "note":
        if (agentView && !signals.sentNote(notice.note.id)) {
          signals.sawNote(notice.note.id);
          sink.send({ event: "note", data: notice.note });
        }
        return;
    }
  };

  const unsubscribe = await ctx.deps.infra.pubsub.subscribe(
    conversationChannel(ctx.tenantId, conversationId),
    (notice) => run(() => handle(notice as ConversationNotice)),
  );
  const restricted = ctx.actor.type === "user" && ctx.actor.role === "agent";
  const accessTimer = restricted
    ? setInterval(() => {
        visibleBotIds(ctx)
          .then((visible) => {
            if (visible && !visible.has(row.botId)) stop(true);
          })
          .catch(() => {});
      }, options.accessCheckMs ?? 3_000)
    : undefined;
  accessTimer?.unref?.();
  // Embedded mode publishes in-process only, but the studio and the runtime may still be two
  // processes on one database: a cheap look at the row catches what the other process committed.
  let lastUpdate = 0;
  const pollTimer =
    ctx.deps.infra.mode === "embedded"
      ? setInterval(() => {
          run(async () => {
            const current = await db.conversation.findFirst({
              where: { id: conversationId },
              select: { lastSeq: true, updatedAt: true, ...signalSelect },
            });
            if (!current || closed) return;
            const changed = lastUpdate !== 0 && current.updatedAt.getTime() !== lastUpdate;
            lastUpdate = current.updatedAt.getTime();
            if (current.lastSeq > lastSent) await catchUp();
            if (changed) await sendState();
            await followSignals(current);
          });
        }, options.embeddedPollMs ?? 200)
      : undefined;
  pollTimer?.unref?.();
  const stop = (closeSink: boolean) => {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (accessTimer) clearInterval(accessTimer);
    if (pollTimer) clearInterval(pollTimer);
    options.signal.removeEventListener("abort", onAbort);
    if (closeSink) sink.close();
  };
  const onAbort = () => stop(false);
  if (options.signal.aborted) return stop(false);
  options.signal.addEventListener("abort", onAbort);
  // Replay after subscribing: a commit between the two is either replayed or arrives as a notice
  // (deduplicated by seq), never lost.
  run(async () => {
    if (pollTimer) {
      const openedAt = nowOf(ctx.deps).getTime();
      const opened = await db.conversation.findFirst({ where: { id: conversationId }, select: signalSelect });
      if (opened) signals.baseline(opened, openedAt);
    }
    await catchUp();
    await sendState();
  });
}
