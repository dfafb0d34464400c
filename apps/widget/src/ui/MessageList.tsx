import { useEffect, useRef } from "preact/hooks";
import { type ChatItem, isInLatestTurn } from "../client/items";
import { BotMessage } from "./BotMessage";
import { useWidget } from "./context";
import { Markdown } from "./Markdown";
import { TypingIndicator } from "./TypingIndicator";
import { UserMessage } from "./UserMessage";

/**
 * The transcript as an ARIA log (a polite live region): screen readers announce rows as they are
 * added. It is `aria-busy` while a reply streams in, so the reply is read once, complete.
 */
export function MessageList(props: {
  items: readonly ChatItem[];
  typing: boolean;
  onChoose: (value: string, label: string) => void;
  onResend: (id: string) => void;
}) {
  const { theme } = useWidget();
  const scroller = useRef<HTMLDivElement>(null);
  const last = props.items[props.items.length - 1];
  const streaming = last?.kind === "stream";
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  });
  const name = theme.title ?? "Assistant";
  return (
    <div
      class="messages"
      ref={scroller}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable by keyboard to scroll it (WCAG 2.1.1, axe scrollable-region-focusable).
      tabIndex={0}
      role="log"
      aria-live="polite"
      aria-label="Messages"
      aria-busy={streaming}
    >
      {theme.greeting && (
        <div class="row bot greeting">
          <div class="bubble">
            <Markdown text={theme.greeting} />
          </div>
        </div>
      )}
      {props.items.map((item) => {
        switch (item.kind) {
          case "user":
            return <UserMessage key={item.id} item={item} onResend={props.onResend} />;
          case "agent":
            return (
              <div key={item.id} class="row bot agent">
                <div class="bubble">
                  <span class="sr">Agent said: </span>
                  <p class="text">{item.text}</p>
                </div>
              </div>
            );
          case "stream":
            return (
              <div key={item.id} class="row bot">
                <div class="bubble streaming">
                  <span class="sr">{`${name} said: `}</span>
                  <p class="text">{item.text}</p>
                </div>
              </div>
            );
          default:
            return (
              <BotMessage
                key={item.id}
                message={item.message}
                live={isInLatestTurn(props.items, item)}
                onChoose={props.onChoose}
              />
            );
        }
      })}
      {props.typing && !streaming && <TypingIndicator name={name} />}
    </div>
  );
}
