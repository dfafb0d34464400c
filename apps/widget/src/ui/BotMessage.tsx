import { askDisplay } from "@parley/contract/ask-display";
import { safeLinkUrl } from "../client/markdown";
import type { OutgoingMessage } from "../client/types";
import { CardMessage } from "./CardMessage";
import { useWidget } from "./context";
import { ImageMessage } from "./ImageMessage";
import { Markdown } from "./Markdown";
import { SystemNotice } from "./SystemNotice";

/** The content of one bot message, by kind. Quick replies and choices render in the footer. */
export function BotMessage(props: {
  message: OutgoingMessage;
  live: boolean;
  onChoose: (value: string, label: string) => void;
}) {
  const { theme } = useWidget();
  const message = props.message;
  switch (message.type) {
    case "handoff":
      return (
        <SystemNotice kind="handoff">
          {message.text ?? "You're being connected to a person. An agent will reply here soon."}
        </SystemNotice>
      );
    case "end":
      return <SystemNotice kind="end">{message.text ?? "This conversation has ended."}</SystemNotice>;
    case "typing":
      return null;
    case "quick_replies":
      if (!message.text) return null;
      break;
  }
  const name = theme.title ?? "Assistant";
  return (
    <div class="row bot">
      <div class={message.type === "card" || message.type === "image" ? "bubble media" : "bubble"}>
        <span class="sr">{`${name} said: `}</span>
        {message.type === "text" && (
          <>
            <Markdown text={message.text} format={message.format} />
            {message.citations && message.citations.length > 0 && (
              <ul class="citations" aria-label="Sources">
                {message.citations.map((citation) => (
                  <li key={citation.title}>
                    {citation.url && safeLinkUrl(citation.url) ? (
                      <a href={safeLinkUrl(citation.url)} target="_blank" rel="noopener noreferrer nofollow">
                        {citation.title}
                      </a>
                    ) : (
                      citation.title
                    )}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {message.type === "ask" && <AskText message={message} />}
        {message.type === "quick_replies" && <Markdown text={message.text ?? ""} />}
        {message.type === "image" && <ImageMessage url={message.url} alt={message.alt} />}
        {message.type === "card" && (
          <CardMessage card={message} live={props.live} onChoose={props.onChoose} />
        )}
      </div>
    </div>
  );
}

/** A question: after a refused answer the notice first (the same words as the studio's test chat). */
function AskText(props: { message: Extract<OutgoingMessage, { type: "ask" }> }) {
  const display = askDisplay(props.message);
  return (
    <>
      {display.notice && <p class="ask-notice">{display.notice}</p>}
      <Markdown text={display.text} />
    </>
  );
}
