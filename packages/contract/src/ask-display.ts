/**
 * How a question (`ask` message) is shown to the person answering it, in one place for every
 * surface that renders one (the widget and the studio's test chat), so they say the same words:
 * the question (or the flow's retry text), the engine's hint about the expected answer shown once,
 * and after a refused answer one notice that carries the hint instead of repeating it.
 *
 * Pure and free of zod (the widget bundles it).
 */

/** The fields of an `ask` message this needs. */
export interface AskLike {
  readonly text: string;
  /** 0 for the first asking; 1, 2, ... after refused answers. */
  readonly attempt: number;
  readonly input: { readonly hint?: string | undefined };
}

/** What to show for a question. */
export interface AskDisplay {
  /** The question, or the flow's retry text on a retry. */
  readonly text: string;
  /** The expected answer in words; only on the first asking (a retry's notice carries it). */
  readonly hint: string | undefined;
  /** After a refused answer: what was wrong, with the expected answer. */
  readonly notice: string | undefined;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The notice after a refused answer (also what the widget says when it catches one before sending). */
export function refusedAnswerNotice(hint: string | undefined): string {
  return hint
    ? `That answer doesn't fit. Expected: ${hint.trim().replace(/[.]$/, "")}.`
    : "That answer doesn't fit.";
}

/** How a question is shown: see {@link AskDisplay}. */
export function askDisplay(ask: AskLike): AskDisplay {
  const hint = ask.input.hint?.trim() || undefined;
  return {
    text: ask.text,
    hint: ask.attempt === 0 && hint ? sentence(hint) : undefined,
    notice: ask.attempt > 0 ? refusedAnswerNotice(hint) : undefined,
  };
}
