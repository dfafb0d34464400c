import { useWidget } from "./context";

/** Title bar: avatar, title, status line, and a close button when the window can close. */
export function Header(props: { status: string; onClose?: (() => void) | undefined; titleId: string }) {
  const { theme, images } = useWidget();
  const avatar = theme.avatarUrl ? images.authored(theme.avatarUrl) : undefined;
  return (
    <header class="header">
      {avatar ? (
        <img class="avatar" src={avatar} alt="" referrerpolicy="no-referrer" />
      ) : (
        <span class="avatar placeholder" aria-hidden="true">
          {(theme.title ?? "A").slice(0, 1).toUpperCase()}
        </span>
      )}
      <div class="titles">
        <h2 id={props.titleId} class="title">
          {theme.title ?? "Chat with us"}
        </h2>
        <p class="subtitle">{props.status}</p>
      </div>
      {props.onClose && (
        <button type="button" class="icon-button" aria-label="Close chat" onClick={props.onClose}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path
              fill="currentColor"
              d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"
            />
          </svg>
        </button>
      )}
    </header>
  );
}
