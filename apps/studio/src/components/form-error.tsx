"use client";

import { describeError } from "../client/trpc";

/** A failed call's message, or nothing. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="banner error" role="alert">
      {describeError(error).message}
    </div>
  );
}
