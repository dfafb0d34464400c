import { newVisitorId } from "./ids";

/** Remembers the current conversation id per bot, so a reload or another page continues it. */
export interface ConversationStore {
  get(): string | undefined;
  set(conversationId: string): void;
  clear(): void;
  /**
   * This browser's stable anonymous visitor id (made once, kept across conversations), sent when a
   * conversation starts so an experiment keeps the visitor in one variant. Optional: without it every
   * conversation is assigned on its own.
   */
  visitorId?(): string;
}

/** Where the visitor id lives: one per site (the same visitor for every bot on it). */
const VISITOR_KEY = "parley:visitor";

/**
 * A ConversationStore in `localStorage` (key `parley:<botId>:conversation`). Storage can be missing
 * or throw (privacy modes, sandboxed frames): then the conversation just lasts as long as the page.
 */
export function localConversationStore(botId: string, storage?: Storage): ConversationStore {
  const key = `parley:${botId}:conversation`;
  let memory: string | undefined;
  let visitor: string | undefined;
  const backend = (): Storage | undefined => {
    try {
      return storage ?? globalThis.localStorage;
    } catch {
      return undefined;
    }
  };
  return {
    get() {
      try {
        return backend()?.getItem(key) ?? memory;
      } catch {
        return memory;
      }
    },
    set(conversationId) {
      memory = conversationId;
      try {
        backend()?.setItem(key, conversationId);
      } catch {
        // Kept in memory only.
      }
    },
    clear() {
      memory = undefined;
      try {
        backend()?.removeItem(key);
      } catch {
        // Nothing stored.
      }
    },
    visitorId() {
      try {
        visitor ??= backend()?.getItem(VISITOR_KEY) ?? undefined;
      } catch {
        // No storage: a visitor id for this page only.
      }
      if (visitor && /^[A-Za-z0-9_-]{8,64}$/.test(visitor)) return visitor;
      visitor = newVisitorId();
      try {
        backend()?.setItem(VISITOR_KEY, visitor);
      } catch {
        // Kept in memory only.
      }
      return visitor;
    },
  };
}
