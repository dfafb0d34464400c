/** Remembers the current conversation id per bot, so a reload or another page continues it. */
export interface ConversationStore {
  get(): string | undefined;
  set(conversationId: string): void;
  clear(): void;
}

/**
 * A ConversationStore in `localStorage` (key `parley:<botId>:conversation`). Storage can be missing
 * or throw (privacy modes, sandboxed frames): then the conversation just lasts as long as the page.
 */
export function localConversationStore(botId: string, storage?: Storage): ConversationStore {
  const key = `parley:${botId}:conversation`;
  let memory: string | undefined;
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
  };
}
