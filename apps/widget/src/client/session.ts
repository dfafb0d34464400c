import type { ConversationApi } from "./api";
import { ApiError } from "./api-error";
import { newClientMessageId } from "./ids";
import { type ChatItem, itemsFromTranscript, type UserItem } from "./items";
import type { ConversationStore } from "./storage";
import type { ConversationStatus, OutgoingMessage, SendMessageRequest, TurnStreamEvent } from "./types";

/** Everything the UI renders, as one immutable snapshot. */
export interface ChatState {
  /** `idle`: no conversation yet; `starting`: creating or reloading one; `error`: that failed. */
  readonly phase: "idle" | "starting" | "ready" | "error";
  readonly conversationId: string | undefined;
  readonly status: ConversationStatus;
  readonly items: readonly ChatItem[];
  /** The bot is working on a reply (request in flight or a typing pause being played). */
  readonly typing: boolean;
  /** `reconnecting`: a request failed and is being retried; `offline`: retries are exhausted. */
  readonly connection: "online" | "reconnecting" | "offline";
  /** Why starting failed (phase `error`). */
  readonly error: string | undefined;
  /** The runtime's problem code when starting was refused (`origin-not-allowed`: this site is not allowed). */
  readonly errorCode: string | undefined;
  /** The end-of-conversation rating: offered when the conversation ends live, then sent (or skipped). */
  readonly csat: "none" | "asking" | "sending" | "sent";
}

/** Events a host page can listen to through `Parley.on`. */
export interface ChatEvents {
  /** A bot or agent message arrived live (not replayed from a stored transcript). */
  message: OutgoingMessage | { type: "agent_text"; text: string };
  /** The conversation status changed. */
  status: ConversationStatus;
}

/** Knobs, mostly for tests. */
export interface ChatSessionOptions {
  readonly api: ConversationApi;
  readonly store: ConversationStore;
  /** Delays before each automatic retry of a failed request (default 0.5, 1, 2, 4, 8 s). */
  readonly retryDelaysMs?: readonly number[];
  /** Upper bound of a `typing` pause between messages (default 1200 ms; 0 disables pauses). */
  readonly maxTypingMs?: number;
  /** How often to look for agent replies during a handoff (default 4000 ms). */
  readonly handoffPollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** A server-signed visitor identity token for the conversation start (see {@link ChatSession.identify}). */
  readonly identityToken?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The widget's conversation logic, free of any UI framework: starts or restores the conversation,
 * sends messages in order with automatic retries under one clientMessageId (so a retry or a manual
 * resend is processed once), plays streamed events (typing pauses, tokens, messages) in order,
 * and follows the conversation's live event stream for agent replies (polling during a handoff
 * only where EventSource is missing or fails).
 */
export class ChatSession {
  private state: ChatState = {
    phase: "idle",
    conversationId: undefined,
    status: "waiting",
    items: [],
    typing: false,
    connection: "online",
    error: undefined,
    errorCode: undefined,
    csat: "none",
  };
  private readonly listeners = new Set<(state: ChatState) => void>();
  private readonly eventListeners: { [K in keyof ChatEvents]: Set<(payload: ChatEvents[K]) => void> } = {
    message: new Set(),
    status: new Set(),
  };
  private variables: Record<string, unknown> = {};
  private identityToken: string | undefined;
  private starting: Promise<void> | undefined;
  private sends: Promise<void> = Promise.resolve();
  private playback: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private pausing = false;
  private sequence = 0;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private seenSeq = -1;
  private disposed = false;
  /** Closes the live event stream; set while one is open (then no polling). */
  private closeEvents: (() => void) | undefined;
  private lastTypingAt = 0;
  private readonly retryDelays: readonly number[];
  private readonly maxTypingMs: number;
  private readonly handoffPollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ChatSessionOptions) {
    this.retryDelays = options.retryDelaysMs ?? [500, 1000, 2000, 4000, 8000];
    this.maxTypingMs = options.maxTypingMs ?? 1200;
    this.handoffPollMs = options.handoffPollMs ?? 4000;
    this.sleep = options.sleep ?? defaultSleep;
    this.identityToken = options.identityToken;
  }

  /** The current snapshot. */
  getState(): ChatState {
    return this.state;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to a host-facing event; returns the unsubscribe function. */
  on<K extends keyof ChatEvents>(event: K, listener: (payload: ChatEvents[K]) => void): () => void {
    this.eventListeners[event].add(listener);
    return () => this.eventListeners[event].delete(listener);
  }

  /** Variables for the NEXT conversation start (merged into those set before). */
  setVariables(variables: Record<string, unknown>): void {
    this.variables = { ...this.variables, ...variables };
  }

  /**
   * The visitor identity token (a short-lived JWT your server signs with the bot's identity
   * secret) sent when the NEXT conversation starts; `undefined` forgets it (anonymous again).
   * A conversation already under way keeps its visitor: call {@link restart} to start one as the
   * identified user.
   */
  identify(token: string | undefined): void {
    this.identityToken = token || undefined;
  }

  /** Reloads the stored conversation, or starts one. Safe to call repeatedly. */
  ensureStarted(): Promise<void> {
    if (this.state.phase === "ready") return Promise.resolve();
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Sends typed text. */
  sendText(text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed) return Promise.resolve();
    return this.enqueueSend(trimmed, { text: trimmed });
  }

  /** Sends picked option values; `label` is what the visitor sees as their message. */
  sendChoice(values: readonly string[], label: string): Promise<void> {
    if (values.length === 0) return Promise.resolve();
    const choice = values.length === 1 ? (values[0] as string) : [...values];
    return this.enqueueSend(label, { choice });
  }

  /** Sends a failed message again with the same clientMessageId (the server processes it at most once). */
  resend(id: string): Promise<void> {
    const item = this.state.items.find(
      (entry): entry is UserItem => entry.kind === "user" && entry.id === id,
    );
    if (item?.state !== "failed" || !item.request) return Promise.resolve();
    this.updateUser(id, { state: "sending", error: undefined });
    return this.queueDelivery(item.id, item.request);
  }

  /** After "offline": tries again whatever failed (starting, or failed messages, oldest first). */
  async retry(): Promise<void> {
    if (this.state.phase === "error") return this.ensureStarted();
    const failed = this.state.items.filter((item) => item.kind === "user" && item.state === "failed");
    await Promise.all(failed.map((item) => this.resend(item.id)));
  }

  /** Forgets the current conversation and starts a new one. */
  async restart(): Promise<void> {
    await this.sends.catch(() => undefined);
    this.stopPolling();
    this.stopEvents();
    this.seenSeq = -1;
    this.options.store.clear();
    this.set({
      phase: "idle",
      conversationId: undefined,
      status: "waiting",
      items: [],
      error: undefined,
      csat: "none",
    });
    await this.ensureStarted();
  }

  /** Stops timers; the session is unusable afterwards. */
  dispose(): void {
    this.disposed = true;
    this.stopPolling();
    this.stopEvents();
    this.listeners.clear();
  }

  private async start(): Promise<void> {
    this.set({ phase: "starting", error: undefined, errorCode: undefined });
    try {
      const storedId = this.options.store.get();
      if (storedId && (await this.restore(storedId))) return;
      const created = await this.withRetries(() =>
        this.options.api.createConversation(this.variables, {
          identityToken: this.identityToken,
          visitorId: this.options.store.visitorId?.(),
        }),
      );
      this.options.store.set(created.conversationId);
      this.set({ phase: "ready", conversationId: created.conversationId, items: [] });
      this.listen(created.conversationId);
      this.inFlight++;
      for (const message of created.messages) this.enqueueEvent({ event: "message", data: message }, "start");
      await this.playback;
      this.inFlight--;
      this.setStatus(created.status);
    } catch (error) {
      this.set({
        phase: "error",
        error: (error as Error).message,
        errorCode: error instanceof ApiError ? error.problem?.code : undefined,
        typing: false,
      });
    }
  }

  /** Loads a stored conversation's transcript; false when the server no longer knows it. */
  private async restore(conversationId: string): Promise<boolean> {
    try {
      const transcript = await this.withRetries(() => this.options.api.getTranscript(conversationId));
      this.seenSeq = Math.max(-1, ...transcript.entries.map((entry) => entry.seq));
      this.set({ phase: "ready", conversationId, items: itemsFromTranscript(transcript.entries) });
      this.setStatus(transcript.status);
      this.listen(conversationId);
      return true;
    } catch (error) {
      if (error instanceof ApiError && !error.retryable) {
        this.options.store.clear();
        return false;
      }
      throw error;
    }
  }

  private enqueueSend(text: string, body: Omit<SendMessageRequest, "clientMessageId">): Promise<void> {
    const id = newClientMessageId();
    const request: SendMessageRequest = { ...body, clientMessageId: id };
    this.set({ items: [...this.state.items, { kind: "user", id, text, state: "sending", request }] });
    return this.queueDelivery(id, request);
  }

  /** Deliveries run one at a time, in the order the visitor sent them. */
  private queueDelivery(id: string, request: SendMessageRequest): Promise<void> {
    this.sends = this.sends.then(() => this.deliver(id, request));
    return this.sends;
  }

  private async deliver(id: string, request: SendMessageRequest): Promise<void> {
    try {
      await this.ensureStarted();
      const conversationId = this.state.conversationId;
      if (!conversationId) throw new Error(this.state.error ?? "no conversation");
      this.inFlight++;
      this.emit();
      const turn = await this.withRetries(async () => {
        // A retry after a cut stream is answered again in full: drop what the cut attempt showed.
        await this.playback;
        this.set({ items: this.state.items.filter((item) => !("turn" in item) || item.turn !== id) });
        return this.options.api.sendMessage(conversationId, request, (event) => this.enqueueEvent(event, id));
      }).finally(() => {
        this.inFlight--;
      });
      this.updateUser(id, { state: "sent" });
      await this.playback;
      this.setStatus(turn.status);
    } catch (error) {
      this.updateUser(id, { state: "failed", error: (error as Error).message });
    }
  }

  /** Runs `call`, retrying retryable failures with backoff and reporting the connection state. */
  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await call();
        if (this.state.connection !== "online") this.set({ connection: "online" });
        return result;
      } catch (error) {
        const retryable = error instanceof ApiError && error.retryable;
        const delay = this.retryDelays[attempt];
        if (!retryable || delay === undefined || this.disposed) {
          if (retryable) this.set({ connection: "offline" });
          throw error;
        }
        this.set({ connection: "reconnecting" });
        await this.sleep(Math.max(delay, (error.retryAfterSeconds ?? 0) * 1000));
      }
    }
  }

  /** Plays stream events strictly in arrival order, pausing on `typing`. */
  private enqueueEvent(event: TurnStreamEvent, turn: string): void {
    this.playback = this.playback.then(() => this.apply(event, turn));
  }

  private async apply(event: TurnStreamEvent, turn: string): Promise<void> {
    if (event.event === "token") {
      const { streamId, nodeId, token } = event.data;
      const existing = this.state.items.find((item) => item.kind === "stream" && item.id === streamId);
      this.set({
        items: existing
          ? this.state.items.map((item) =>
              item === existing && item.kind === "stream" ? { ...item, text: item.text + token } : item,
            )
          : [...this.state.items, { kind: "stream", id: streamId, nodeId, text: token, turn }],
      });
      return;
    }
    if (event.event !== "message") return;
    const message = event.data;
    if (message.type === "typing") {
      const pause = Math.min(message.durationMs, this.maxTypingMs);
      if (pause > 0) {
        this.pausing = true;
        this.emit();
        await this.sleep(pause);
        this.pausing = false;
        this.emit();
      }
      return;
    }
    const item: ChatItem = { kind: "bot", id: `m${++this.sequence}`, message, turn };
    // The complete LLM reply replaces its streamed draft in place.
    const draft = this.state.items.findIndex(
      (entry) => entry.kind === "stream" && entry.nodeId === message.nodeId && entry.turn === turn,
    );
    const items = [...this.state.items];
    if (draft >= 0 && message.type === "text") items[draft] = { ...item, id: items[draft]?.id ?? item.id };
    else items.push(item);
    this.set({ items });
    this.fire("message", message);
  }

  private setStatus(status: ConversationStatus): void {
    const changed = status !== this.state.status;
    this.set({ status });
    if (changed) this.fire("status", status);
    // Ended live: offer the rating (a conversation restored as ended does not ask again).
    if (changed && status === "ended" && this.state.csat === "none" && this.options.api.submitCsat) {
      this.set({ csat: "asking" });
    }
    if (status === "handoff" && !this.closeEvents) this.schedulePoll();
    else this.stopPolling();
  }

  /** Rates the ended conversation (1-5, optional comment); `undefined` skips the rating. */
  async rate(score: number | undefined, comment?: string): Promise<void> {
    const conversationId = this.state.conversationId;
    if (score === undefined || !conversationId || !this.options.api.submitCsat) {
      this.set({ csat: "sent" });
      return;
    }
    this.set({ csat: "sending" });
    try {
      await this.options.api.submitCsat(conversationId, score, comment?.trim() || undefined);
      this.set({ csat: "sent" });
    } catch {
      this.set({ csat: "asking" });
    }
  }

  /** The visitor is typing: tells the agent during a handoff (at most every 3 s). */
  typing(): void {
    const conversationId = this.state.conversationId;
    const now = Date.now();
    if (!conversationId || this.state.status !== "handoff" || now - this.lastTypingAt < 3_000) return;
    this.lastTypingAt = now;
    void this.options.api.reportTyping?.(conversationId);
  }

  /**
   * Follows the conversation's live event stream (server-sent events; the browser reconnects with
   * Last-Event-ID): agent and system messages appear as they are written, bot messages too while a
   * human has the conversation (the hand back's), and status changes. The visitor's own turns still
   * come back in their POST's answer, so those bot messages are not taken twice. Without
   * EventSource, or when it gives up, handoffs are polled as before.
   */
  private listen(conversationId: string): void {
    this.stopEvents();
    const open = this.options.api.openEvents;
    if (!open || this.disposed) return;
    this.closeEvents = open.call(
      this.options.api,
      conversationId,
      this.seenSeq >= 0 ? this.seenSeq : undefined,
      {
        entry: (entry) => {
          if (this.state.conversationId !== conversationId || entry.seq <= this.seenSeq) return;
          this.seenSeq = entry.seq;
          const fromHuman = entry.author === "agent" || entry.author === "system";
          const botDuringHandoff = entry.author === "bot" && this.state.status === "handoff";
          if (!fromHuman && !botDuringHandoff) return;
          const added = itemsFromTranscript([entry]);
          if (added.length === 0) return;
          this.set({ items: [...this.state.items, ...added] });
          for (const item of added) {
            if (item.kind === "agent") this.fire("message", { type: "agent_text", text: item.text });
            else if (item.kind === "bot") this.fire("message", item.message);
          }
        },
        status: (status) => {
          if (this.state.conversationId === conversationId && this.inFlight === 0) this.setStatus(status);
        },
        failed: () => {
          this.closeEvents = undefined;
          if (this.state.status === "handoff") this.schedulePoll();
        },
      },
    );
    this.stopPolling();
  }

  private stopEvents(): void {
    this.closeEvents?.();
    this.closeEvents = undefined;
  }

  /** During a handoff, fetches the transcript now and then and appends agent (and bot) replies. */
  private schedulePoll(): void {
    if (this.pollTimer || this.disposed) return;
    this.pollTimer = setTimeout(
      async () => {
        this.pollTimer = undefined;
        const conversationId = this.state.conversationId;
        if (!conversationId || this.state.status !== "handoff") return;
        try {
          const transcript = await this.options.api.getTranscript(conversationId);
          const fresh = transcript.entries.filter((entry) => entry.seq > this.seenSeq);
          if (this.seenSeq >= 0) {
            const added = itemsFromTranscript(fresh.filter((entry) => entry.author !== "user"));
            if (added.length) this.set({ items: [...this.state.items, ...added] });
            for (const item of added) {
              if (item.kind === "agent") this.fire("message", { type: "agent_text", text: item.text });
              else if (item.kind === "bot") this.fire("message", item.message);
            }
          }
          this.seenSeq = Math.max(this.seenSeq, ...transcript.entries.map((entry) => entry.seq));
          this.setStatus(transcript.status);
        } catch {
          // Next poll tries again.
        }
        if (this.state.status === "handoff") this.schedulePoll();
        // Entering a handoff live: learn the transcript's position at once, so no agent reply is missed.
      },
      this.seenSeq < 0 ? 0 : this.handoffPollMs,
    );
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private updateUser(id: string, patch: Partial<Pick<UserItem, "state" | "error">>): void {
    this.set({
      items: this.state.items.map((item) =>
        item.kind === "user" && item.id === id ? { ...item, ...patch } : item,
      ),
    });
  }

  private fire<K extends keyof ChatEvents>(event: K, payload: ChatEvents[K]): void {
    for (const listener of this.eventListeners[event]) {
      try {
        listener(payload);
      } catch {
        // A host page's listener must not break the widget.
      }
    }
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    this.state = { ...this.state, typing: this.inFlight > 0 || this.pausing };
    for (const listener of this.listeners) listener(this.state);
  }
}
