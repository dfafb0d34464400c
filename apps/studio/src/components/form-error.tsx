"use client";

import { describeError } from "../client/trpc";
import { ProblemCallout } from "./field";

/** A failed call's message, or nothing. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return <ProblemCallout>{describeError(error).message}</ProblemCallout>;
}
