import type { ChatEvents, ChatSession } from "./client/session";
import type { OpenControl } from "./ui/App";

/** `window.Parley`: lets the host page drive the widget. */
export interface ParleyApi {
  /** Opens the chat window (bubble and popup modes). */
  open(): void;
  /** Closes the chat window. */
  close(): void;
  /** Sends `text` as the visitor, starting the conversation if needed. */
  send(text: string): Promise<void>;
  /** Variables passed to the flow when the next conversation starts. */
  setVariables(variables: Record<string, unknown>): void;
  /** Listens to `message` (each live bot or agent message) or `status`; returns an unsubscribe function. */
  on<K extends keyof ChatEvents>(event: K, listener: (payload: ChatEvents[K]) => void): () => void;
  /** Ends the current conversation locally and starts a new one. */
  restart(): Promise<void>;
}

/** Builds the page-facing API over a session and the window's open/close control. */
export function createParleyApi(session: ChatSession, control: OpenControl): ParleyApi {
  const setOpen = (open: boolean) => {
    if (control.setOpen) control.setOpen(open);
    else control.requestedOpen = open;
  };
  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    send: (text) => session.sendText(String(text)),
    setVariables: (variables) => {
      if (!variables || typeof variables !== "object")
        throw new TypeError("Parley.setVariables expects an object");
      session.setVariables(variables);
    },
    on: (event, listener) => {
      if (event !== "message" && event !== "status")
        throw new TypeError(`Parley.on: unknown event "${String(event)}"`);
      return session.on(event, listener);
    },
    restart: () => session.restart(),
  };
}
