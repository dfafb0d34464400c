import { askDisplay } from "@parley/contract/ask-display";
import { useEffect, useRef } from "preact/hooks";
import { currentPrompt } from "../client/items";
import type { ChatState } from "../client/session";
import { ChoicePicker } from "./ChoicePicker";
import { Composer } from "./Composer";
import { ConnectionBanner } from "./ConnectionBanner";
import { CsatPrompt } from "./CsatPrompt";
import { useWidget } from "./context";
import { Header } from "./Header";
import { MessageList } from "./MessageList";

/** The chat window: header, connection banner, transcript, and the answer area. */
export function ChatWindow(props: {
  id: string;
  state: ChatState;
  /** Present when the window can close (bubble and popup modes). */
  onClose?: (() => void) | undefined;
}) {
  const { session, theme } = useWidget();
  const { state } = props;
  const inputRef = useRef<HTMLInputElement>(null);
  const restartRef = useRef<HTMLButtonElement>(null);
  const windowRef = useRef<HTMLElement>(null);
  const ended = state.status === "ended";

  // Focus the message box on open; after the conversation ends, the restart button.
  useEffect(() => {
    inputRef.current?.focus();
  }, []);
  // Escape closes a floating window (focus then returns to the launcher).
  const { onClose } = props;
  useEffect(() => {
    const element = windowRef.current;
    if (!element || !onClose) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      onClose();
    };
    element.addEventListener("keydown", onKey);
    return () => element.removeEventListener("keydown", onKey);
  }, [onClose]);
  useEffect(() => {
    const active = windowRef.current?.getRootNode() as ShadowRoot | undefined;
    const focusInside = !!active?.activeElement && windowRef.current?.contains(active.activeElement);
    if (ended && (focusInside || !active?.activeElement)) restartRef.current?.focus();
  }, [ended]);

  const prompt = currentPrompt(state.items);
  const ask = prompt?.message.type === "ask" ? prompt.message : undefined;
  const options =
    prompt?.message.type === "quick_replies"
      ? prompt.message.replies
      : ask?.input.kind === "choice"
        ? (ask.input.choices ?? [])
        : [];
  const choose = (values: string[], label: string) => {
    void session.sendChoice(values, label);
    // The buttons disappear with the answer: keep keyboard focus in the window.
    inputRef.current?.focus();
  };
  const statusLine =
    state.status === "handoff"
      ? "Waiting for an agent"
      : ended
        ? "Conversation ended"
        : state.typing
          ? "Typing…"
          : (theme.subtitle ?? "We reply right away");

  const titleId = `${props.id}-title`;
  return (
    <section
      id={props.id}
      ref={windowRef}
      class="window"
      role={props.onClose ? "dialog" : undefined}
      aria-labelledby={titleId}
    >
      <Header status={statusLine} onClose={props.onClose} titleId={titleId} />
      <ConnectionBanner connection={state.connection} onRetry={() => void session.retry()} />
      {state.phase === "error" && (
        <div class="banner" role="alert" data-error-code={state.errorCode}>
          {state.errorCode === "origin-not-allowed" ? (
            // The runtime refused this site: say so (retrying alone cannot help until the site is added).
            <span>
              This chat is not enabled on this website yet: {window.location.origin} is not in the bot's
              allowed origins. The site owner can add it in the bot's settings (Parley studio).
            </span>
          ) : (
            <span>We couldn't start the chat.</span>
          )}{" "}
          <button type="button" class="link-button" onClick={() => void session.retry()}>
            Try again
          </button>
        </div>
      )}
      <MessageList
        items={state.items}
        typing={state.typing || state.phase === "starting"}
        onChoose={(value, label) => choose([value], label)}
        onResend={(id) => void session.resend(id)}
      />
      <div class="footer">
        {ended ? (
          <div class="ended">
            <p>This conversation has ended.</p>
            <button
              ref={restartRef}
              type="button"
              class="button primary"
              onClick={() => void session.restart()}
            >
              Start a new conversation
            </button>
            {(state.csat === "asking" || state.csat === "sending") && <CsatPrompt />}
            {state.csat === "sent" && <p class="csat-thanks">Thank you for your feedback!</p>}
          </div>
        ) : (
          <>
            {options.length > 0 && (
              <ChoicePicker
                key={prompt?.id}
                options={options}
                multiple={ask?.input.multiple === true}
                label={prompt?.message.type === "quick_replies" ? "Suggested replies" : "Choose an answer"}
                disabled={state.phase !== "ready"}
                onChoose={choose}
              />
            )}
            <Composer
              input={ask?.input}
              hint={ask ? askDisplay(ask).hint : undefined}
              inputRef={inputRef}
              onSend={(text) => void session.sendText(text)}
              onTyping={() => session.typing()}
            />
          </>
        )}
      </div>
    </section>
  );
}
