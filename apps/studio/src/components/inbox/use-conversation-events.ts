"use client";

import type { ConversationEvent, InboxNote, InboxState, TranscriptEntry } from "@parley/contract";
import { useEffect, useRef, useState } from "react";

/** What the live chat pane shows, kept from the conversation's event stream. */
export interface LiveConversation {
  entries: TranscriptEntry[];
  state: Partial<InboxState> | null;
  /** When the last `status` event arrived (ms), to compare with a polled state. */
  stateAt: number;
  notes: InboxNote[];
  /** The visitor typed in the last few seconds. */
  visitorTyping: boolean;
  connected: boolean;
}

const TYPING_SHOWN_MS = 6_000;

/**
 * Follows one conversation over server-sent events (`/api/conversations/{id}/events`, the
 * studio's twin of the REST stream): replays every message from the start (`lastEventId=0`), then
 * live ones; the browser's EventSource reconnects by itself with `Last-Event-ID`, so nothing is lost
 * or shown twice (entries are keyed by seq).
 */
export function useConversationEvents(conversationId: string | null): LiveConversation {
  const [live, setLive] = useState<LiveConversation>({
    entries: [],
    state: null,
    stateAt: 0,
    notes: [],
    visitorTyping: false,
    connected: false,
  });
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    setLive({ entries: [], state: null, stateAt: 0, notes: [], visitorTyping: false, connected: false });
    if (!conversationId) return;
    const source = new EventSource(
      `/api/conversations/${encodeURIComponent(conversationId)}/events?lastEventId=0`,
    );
    const on = <Name extends ConversationEvent["event"]>(
      name: Name,
      apply: (data: Extract<ConversationEvent, { event: Name }>["data"]) => void,
    ) => source.addEventListener(name, (event) => apply(JSON.parse((event as MessageEvent<string>).data)));
    source.onopen = () => setLive((current) => ({ ...current, connected: true }));
    source.onerror = () => setLive((current) => ({ ...current, connected: false }));
    on("message", (entry) =>
      setLive((current) =>
        current.entries.some((known) => known.seq === entry.seq)
          ? current
          : {
              ...current,
              // A visitor message ends their typing indicator.
              visitorTyping: entry.author === "user" ? false : current.visitorTyping,
              entries: [...current.entries, entry].sort((a, b) => a.seq - b.seq),
            },
      ),
    );
    on("status", (state) => setLive((current) => ({ ...current, state, stateAt: Date.now() })));
    on("note", (note) =>
      setLive((current) =>
        current.notes.some((known) => known.id === note.id)
          ? current
          : { ...current, notes: [...current.notes, note] },
      ),
    );
    on("typing", (typing) => {
      if (typing.who !== "visitor") return;
      setLive((current) => ({ ...current, visitorTyping: typing.typing }));
      clearTimeout(typingTimer.current);
      if (typing.typing) {
        typingTimer.current = setTimeout(
          () => setLive((current) => ({ ...current, visitorTyping: false })),
          TYPING_SHOWN_MS,
        );
      }
    });
    return () => {
      clearTimeout(typingTimer.current);
      source.close();
    };
  }, [conversationId]);
  return live;
}
