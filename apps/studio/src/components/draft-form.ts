"use client";

import { type QueryKey, type UseMutationOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type FieldErrors, issuesOf } from "./field";

/** What {@link useDraftForm} needs to know about one form. */
export interface DraftFormOptions<Draft, TData, TError, TVariables, TContext> {
  /** The first draft (or a function making it); ignored when `controlled` is given. */
  initial: Draft | (() => Draft);
  /** A draft the parent holds (and may set itself), instead of the form's own. */
  controlled?: readonly [Draft, (next: Draft) => void];
  /** Problems the browser can see before sending, by the server's field paths. */
  problems: (draft: Draft) => Record<string, string>;
  /** The save call's options, as `trpc.….mutationOptions()` makes them. */
  mutation: UseMutationOptions<TData, TError, TVariables, TContext>;
  /** The queries a save makes stale (refetched before `onSaved`). */
  invalidates: QueryKey;
  /** The save call's input made from a draft without problems. */
  toInput: (draft: Draft) => TVariables;
  /** Told after a save, once the stale queries are refetched. */
  onSaved?: () => void;
}

/**
 * The state of an edit form: its draft, the save call, and the problems shown next to the fields
 * (the server's, plus the browser's own once a save was tried). The browser's problems are checked
 * as the user types only after a first try; the server's last until the next change.
 */
export function useDraftForm<Draft extends object, TData, TError, TVariables, TContext>(
  options: DraftFormOptions<Draft, TData, TError, TVariables, TContext>,
) {
  const { controlled, problems, mutation, invalidates, toInput, onSaved } = options;
  const queryClient = useQueryClient();
  const [own, setOwn] = useState<Draft>(options.initial);
  const [tried, setTried] = useState(false);
  const save = useMutation({
    ...mutation,
    onSuccess: async (...args) => {
      await mutation.onSuccess?.(...args);
      await queryClient.invalidateQueries({ queryKey: invalidates });
      onSaved?.();
    },
  });
  const draft = controlled ? controlled[0] : own;
  const errors: FieldErrors = { ...issuesOf(save.error), ...(tried ? problems(draft) : {}) };
  return {
    draft,
    errors,
    save,
    /** Patches the draft; a change clears the last save's outcome (its problems, or "Saved."). */
    set(patch: Partial<Draft>) {
      if (controlled) controlled[1]({ ...controlled[0], ...patch });
      else setOwn((current) => ({ ...current, ...patch }));
      if (save.error || save.isSuccess) save.reset();
    },
    /** Back to not checking as the user types (a cleared or saved form starts afresh). */
    forget() {
      setTried(false);
    },
    /** The form's submit handler: checks the draft, then saves it. */
    submit(event: FormEvent) {
      event.preventDefault();
      setTried(true);
      if (Object.keys(problems(draft)).length > 0) return;
      save.mutate(toInput(draft));
    },
  };
}
