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
  /**
   * Variables passed to the flow when the next conversation starts (only those the flow marks
   * "widget may preset" / `clientSettable`; others are refused).
   */
  setVariables(variables: Record<string, unknown>): void;
  /**
   * Links the visitor to your user: `token` is a short-lived identity token (HS256 JWT) YOUR
   * SERVER signs with the bot's identity secret. Used when the next conversation starts; pass
   * `undefined` to go back to anonymous. Call `restart()` to apply it to a conversation under way.
   */
  identify(token: string | undefined): void;
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
    identify: (token) => {
      if (token !== undefined && typeof token !== "string")
        throw new TypeError("Parley.identify expects a token string (or undefined)");
      session.identify(token);
    },
    on: (event, listener) => {
      if (event !== "message" && event !== "status")
        throw new TypeError(`Parley.on: unknown event "${String(event)}"`);
      return session.on(event, listener);
    },
    restart: () => session.restart(),
  };
}
