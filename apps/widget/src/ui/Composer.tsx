import { refusedAnswerNotice } from "@parley/contract/ask-display";
import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AskInput } from "../client/types";
import { inputAttributes, validateAnswer } from "../client/validate";

/**
 * The message box. For a typed question (email, phone, number, date) it uses the matching input
 * type and keyboard, shows the flow's hint, and checks the answer before sending it.
 */
export function Composer(props: {
  input: AskInput | undefined;
  /** The hint to show under the box, as `askDisplay` words it (none on a retry: its notice says it). */
  hint?: string | undefined;
  inputRef: RefObject<HTMLInputElement>;
  onSend: (text: string) => void;
  /** Called as the visitor types (the session throttles what it sends). */
  onTyping?: () => void;
}) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const kind = props.input?.kind ?? "text";
  const attributes = inputAttributes(kind);
  // One wording with the server's refusal and the studio's test chat (see @parley/contract/ask-display).
  const hint = error ? undefined : props.hint;
  // A new question clears the previous question's error.
  useEffect(() => setError(undefined), [props.input]);
  const submit = (event: Event) => {
    event.preventDefault();
    if (!value.trim()) return;
    const problem =
      kind === "text" || kind === "choice" || validateAnswer(kind, value) === undefined
        ? undefined
        : refusedAnswerNotice(props.input?.hint);
    setError(problem);
    if (problem) {
      props.inputRef.current?.focus();
      return;
    }
    props.onSend(value);
    setValue("");
  };
  const describedBy = [hint ? "parley-hint" : "", error ? "parley-error" : ""].filter(Boolean).join(" ");
  return (
    <form class="composer" onSubmit={submit} noValidate>
      {hint && (
        <p id="parley-hint" class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id="parley-error" class="error" role="alert">
          {error}
        </p>
      )}
      <div class="composer-row">
        <label class="sr" for="parley-input">
          {kind === "text" || kind === "choice" ? "Message" : `Your answer (${kind})`}
        </label>
        <input
          id="parley-input"
          ref={props.inputRef}
          {...attributes}
          value={value}
          placeholder={
            props.input?.placeholder ?? (kind === "choice" ? "Or type your answer…" : "Type a message…")
          }
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy || undefined}
          maxLength={10000}
          onInput={(event) => {
            setValue((event.target as HTMLInputElement).value);
            if (error) setError(undefined);
            props.onTyping?.();
          }}
        />
        <button type="submit" class="send" aria-label="Send message" disabled={!value.trim()}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
          </svg>
        </button>
      </div>
    </form>
  );
}
