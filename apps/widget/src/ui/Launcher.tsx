import type { RefObject } from "preact";

/** The round chat bubble that opens and closes the window. */
export function Launcher(props: {
  open: boolean;
  label: string;
  controls: string;
  buttonRef: RefObject<HTMLButtonElement>;
  onToggle: () => void;
}) {
  return (
    <button
      ref={props.buttonRef}
      type="button"
      class="launcher"
      aria-label={props.open ? "Close chat" : `Open chat: ${props.label}`}
      aria-expanded={props.open}
      aria-controls={props.controls}
      onClick={props.onToggle}
    >
      <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
        {props.open ? (
          <path
            fill="currentColor"
            d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"
          />
        ) : (
          <path fill="currentColor" d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z" />
        )}
      </svg>
    </button>
  );
}
