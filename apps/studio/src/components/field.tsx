"use client";

import { Callout, Text } from "@radix-ui/themes";
import { TRPCClientError } from "@trpc/client";
import { CircleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { describeError } from "../client/trpc";

/** Field problems by dotted path (`name`, `policy.targets.1.provider`), first message per path. */
export type FieldErrors = Readonly<Record<string, string>>;

/**
 * The field-level problems of a failed call: the server sends them as `data.issues` (zod input
 * errors and the services' field errors alike), each with the dotted path of its field.
 */
export function issuesOf(error: unknown): FieldErrors {
  if (!(error instanceof TRPCClientError)) return {};
  const issues = (error.data as { issues?: { path: string; message: string }[] | null } | undefined)?.issues;
  const byPath: Record<string, string> = {};
  for (const issue of issues ?? []) byPath[issue.path] ??= issue.message;
  return byPath;
}

/** A field's problem under it (red, announced), or nothing: its id is what the input's aria-describedby names. */
export function FieldProblem({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <Text as="p" size="1" color="red" mt="1" id={id} role="alert">
      {message}
    </Text>
  );
}

/**
 * The banner of a failed form: the server's message, or, when its problems are shown next to the
 * fields, a pointer to them (plus any problem no field on the form shows).
 */
export function FormProblems({ error, shown }: { error: unknown; shown: readonly string[] }) {
  if (!error) return null;
  const issues = Object.entries(issuesOf(error));
  if (issues.length === 0) return <ProblemCallout>{describeError(error).message}</ProblemCallout>;
  const elsewhere = issues.filter(([path]) => !shown.includes(path));
  // A service's message reads well (zod input errors' messages are JSON, so they get a heading).
  const { message, serviceCode } = describeError(error);
  const heading =
    elsewhere.length < issues.length
      ? "Fix the fields marked below."
      : serviceCode
        ? message
        : "The form has problems:";
  return (
    <ProblemCallout>
      {heading}
      {elsewhere.length > 0 && (
        <ul className="issue-list">
          {elsewhere.map(([path, message]) => (
            <li key={path}>
              {path ? <code>{path}</code> : null} {message}
            </li>
          ))}
        </ul>
      )}
    </ProblemCallout>
  );
}

/** A failed call's banner (Radix Callout in red, announced as an alert). */
export function ProblemCallout({ children }: { children: ReactNode }) {
  return (
    <Callout.Root color="red" role="alert" my="3" size="1">
      <Callout.Icon>
        <CircleAlert size={16} aria-hidden />
      </Callout.Icon>
      <Text as="div" size="2">
        {children}
      </Text>
    </Callout.Root>
  );
}
