import { useState } from "preact/hooks";
import { useWidget } from "./context";

/** "How did we do?": 1-5 stars with an optional comment, sent once (or skipped). */
export function CsatPrompt() {
  const { session } = useWidget();
  const [score, setScore] = useState<number | undefined>(undefined);
  const [comment, setComment] = useState("");
  return (
    <form
      class="csat"
      aria-label="Rate this conversation"
      onSubmit={(event) => {
        event.preventDefault();
        if (score !== undefined) void session.rate(score, comment);
      }}
    >
      <p>How did we do?</p>
      <fieldset class="csat-scores" aria-label="Rating from 1 to 5">
        {[1, 2, 3, 4, 5].map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={score === value}
            aria-label={`${value} of 5`}
            class={score !== undefined && value <= score ? "csat-star on" : "csat-star"}
            onClick={() => setScore(value)}
          >
            ★
          </button>
        ))}
      </fieldset>
      <textarea
        aria-label="Comment (optional)"
        placeholder="Anything to add? (optional)"
        maxLength={2000}
        value={comment}
        onInput={(event) => setComment((event.target as HTMLTextAreaElement).value)}
      />
      <div>
        <button type="submit" class="button primary" disabled={score === undefined}>
          Send rating
        </button>{" "}
        <button type="button" class="link-button" onClick={() => void session.rate(undefined)}>
          Skip
        </button>
      </div>
    </form>
  );
}
