/**
 * An undo/redo stack of immutable states. Pushing after an undo drops the redo branch; the past
 * is capped so a long session does not grow without bound. Framework-free: the React layer only
 * keeps a reference to the current value.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
}

/** Most undo steps kept. */
export const HISTORY_LIMIT = 200;

/** A history whose only state is `present`. */
export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** Records `next` as the new present (no-op when it is the same object). */
export function pushHistory<T>(history: History<T>, next: T, limit = HISTORY_LIMIT): History<T> {
  if (Object.is(next, history.present)) return history;
  const past = [...history.past, history.present];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: next, future: [] };
}

/** Replaces the present without recording a step (e.g. a node being dragged, frame by frame). */
export function replacePresent<T>(history: History<T>, next: T): History<T> {
  return { ...history, present: next };
}

/** Steps back one state; unchanged when there is nothing to undo. */
export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (history.past.length === 0) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous as T,
    future: [history.present, ...history.future],
  };
}

/** Steps forward one state; unchanged when there is nothing to redo. */
export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...rest] = history.future;
  return { past: [...history.past, history.present], present: next as T, future: rest };
}

/** Whether {@link undo} would change anything. */
export const canUndo = (history: History<unknown>) => history.past.length > 0;
/** Whether {@link redo} would change anything. */
export const canRedo = (history: History<unknown>) => history.future.length > 0;
