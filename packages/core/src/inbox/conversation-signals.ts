import type { ConversationEvent, InboxNote } from "@parley/contract";
import { nowOf, type ServiceContext, tenantDb } from "../context";

/**
 * Typing and notes across processes in embedded mode (internal).
 *
 * Embedded mode has no Redis: pub/sub is in-process, yet under `parley start` the studio and the
 * runtime are two processes on one database. Messages and status cross through the database already
 * (every event stream looks at the conversation row a few times a second). Typing and notes ride on
 * that same look: a typing report writes `visitor_typing_at` / `agent_typing_at` (null when the typist
 * stopped) and a note counts itself in `note_count`, both without touching `updated_at` (they are not state
 * changes). A stream of another process that sees a column change sends the `typing` event, or reads
 * the notes it has not sent yet. The in-process notice carries the same timestamp, so a stream of the
 * writing process does not send it twice. Postgres LISTEN/NOTIFY was not used: PGlite serves all
 * socket connections from one backend session, so a notification cannot be routed to its listener.
 */

/** How long a typing report counts as "typing now" for a stream that sees it late. */
export const TYPING_FRESH_MS = 8_000;

/** The conversation columns the embedded look at the row reads (internal). */
export const signalSelect = {
  visitorTypingAt: true,
  agentTypingAt: true,
  agentTypingLabel: true,
  noteCount: true,
} as const;

/** The signal columns of a conversation row. */
export interface SignalRow {
  visitorTypingAt: Date | null;
  agentTypingAt: Date | null;
  agentTypingLabel: string | null;
  noteCount: number;
}

const embedded = (ctx: ServiceContext): boolean => ctx.deps.infra.mode === "embedded";

/**
 * Stores a typing report for other processes (embedded mode only; cluster mode publishes through
 * Redis). Returns the timestamp written (ms) or null for "stopped", for the in-process notice.
 */
export async function storeTypingSignal(
  ctx: ServiceContext,
  conversationId: string,
  who: "visitor" | "agent",
  typing: boolean,
  label?: string,
): Promise<number | null> {
  const at = typing ? nowOf(ctx.deps) : null;
  const ms = at ? at.getTime() : null;
  if (!embedded(ctx)) return ms;
  const db = tenantDb(ctx);
  // Raw SQL: Prisma would bump updated_at, which streams read as "the state changed".
  if (who === "visitor") {
    await db.$executeRaw`UPDATE conversations SET visitor_typing_at = ${at}
      WHERE tenant_id = ${ctx.tenantId} AND id = ${conversationId}`;
  } else {
    await db.$executeRaw`UPDATE conversations SET agent_typing_at = ${at}, agent_typing_label = ${label ?? null}
      WHERE tenant_id = ${ctx.tenantId} AND id = ${conversationId}`;
  }
  return ms;
}

/** Counts a new note, for the streams of other processes (embedded mode only). */
export async function storeNoteSignal(ctx: ServiceContext, conversationId: string): Promise<void> {
  if (!embedded(ctx)) return;
  await tenantDb(ctx).$executeRaw`UPDATE conversations SET note_count = note_count + 1
    WHERE tenant_id = ${ctx.tenantId} AND id = ${conversationId}`;
}

type TypingData = Extract<ConversationEvent, { event: "typing" }>["data"];

/** Extra notes read past those counted (see SignalFollower.notesToRead). */
const NOTE_READ_SLACK = 20;

/**
 * What one event stream has already sent of typing and notes, and what to send when it sees the
 * signal columns of its conversation row (internal; see the module comment).
 */
export class SignalFollower {
  readonly #typingAt: Record<"visitor" | "agent", number | null | undefined> = {
    visitor: undefined,
    agent: undefined,
  };
  readonly #sentNotes = new Set<string>();
  #noteCount: number | undefined;
  /** Notes written before this (epoch ms, when the stream opened) are not news. */
  #openedAt = Number.NEGATIVE_INFINITY;

  /** The stream sent (or decided not to send) this typing state, from its own process. */
  sawTyping(who: "visitor" | "agent", at: number | null | undefined): void {
    if (at !== undefined) this.#typingAt[who] = at;
  }

  /**
   * Whether this typing state (its report time) was sent already: the look at the row can run between
   * the report's write and its pub/sub notice, and must not make the notice a second event.
   */
  knowsTyping(who: "visitor" | "agent", at: number | null | undefined): boolean {
    return at !== undefined && this.#typingAt[who] === at;
  }

  /** The stream sent this note. */
  sawNote(id: string): void {
    this.#sentNotes.add(id);
  }

  /** Whether this note was sent already. */
  sentNote(id: string): boolean {
    return this.#sentNotes.has(id);
  }

  /** The row as the stream opened (read at `openedAt`): what was there before is not news. */
  baseline(row: SignalRow, openedAt: number): void {
    this.#openedAt = openedAt;
    this.#typingAt.visitor ??= row.visitorTypingAt?.getTime() ?? null;
    this.#typingAt.agent ??= row.agentTypingAt?.getTime() ?? null;
    this.#noteCount ??= row.noteCount;
  }

  /** The typing events a row shows that were not sent yet (stale reports are dropped). */
  typingChanges(row: SignalRow, now: number): TypingData[] {
    const changes: TypingData[] = [];
    for (const who of ["visitor", "agent"] as const) {
      const at = (who === "visitor" ? row.visitorTypingAt : row.agentTypingAt)?.getTime() ?? null;
      const known = this.#typingAt[who];
      this.#typingAt[who] = at;
      if (known === undefined || at === known) continue;
      if (at === null) changes.push({ who, typing: false });
      else if (now - at < TYPING_FRESH_MS) {
        changes.push(
          who === "agent"
            ? { who, typing: true, label: row.agentTypingLabel ?? "Agent" }
            : { who, typing: true },
        );
      }
    }
    return changes;
  }

  /**
   * How many of the newest notes to read (0: none new). More than were counted since the last look:
   * notes written between reading the row and reading the notes push earlier ones out of a read of
   * exactly that many, and {@link unsent} drops what was sent already.
   */
  notesToRead(row: SignalRow): number {
    const known = this.#noteCount ?? 0;
    this.#noteCount = Math.max(known, row.noteCount);
    const added = row.noteCount - known;
    return added > 0 ? added + NOTE_READ_SLACK : 0;
  }

  /** The notes of `notes` written since the stream opened and not sent yet, marked as sent. */
  unsent(notes: readonly InboxNote[]): InboxNote[] {
    const fresh = notes.filter(
      (note) => !this.#sentNotes.has(note.id) && Date.parse(note.createdAt) >= this.#openedAt,
    );
    for (const note of fresh) this.#sentNotes.add(note.id);
    return fresh;
  }
}
