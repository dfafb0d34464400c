/** The outcome of parsing a user's answer: the value to save, or why it is not valid. */
export type AnswerResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** A valid answer. */
export const accept = (value: unknown): AnswerResult => ({ ok: true, value });
/** An invalid answer. */
export const reject = (reason: string): AnswerResult => ({ ok: false, reason });
