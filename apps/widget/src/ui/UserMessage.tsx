import type { UserItem } from "../client/items";

/** The visitor's message with its delivery state; a failed one offers a resend. */
export function UserMessage(props: { item: UserItem; onResend: (id: string) => void }) {
  const { item } = props;
  return (
    <div class={`row user ${item.state}`}>
      <div class="bubble">
        <span class="sr">You said: </span>
        <p class="text">{item.text}</p>
      </div>
      {item.state === "sending" && <span class="meta">Sending…</span>}
      {item.state === "failed" && (
        <span class="meta failed-meta">
          <span>Not delivered.</span>{" "}
          <button type="button" class="link-button" onClick={() => props.onResend(item.id)}>
            Resend
          </button>
        </span>
      )}
    </div>
  );
}
