"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Flex, Text, TextArea, TextField } from "@radix-ui/themes";
import { type ComponentProps, type ReactNode, useId } from "react";
import {
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  type UseFormProps,
  type UseFormReturn,
  useController,
  useForm,
} from "react-hook-form";
import type { z } from "zod";
import { issuesOf } from "../field";

/**
 * A react-hook-form form checked by a zod schema (the contract's own, so browser and server agree):
 * `const form = useZodForm(signUpInput, { defaultValues: {...} })`.
 */
export function useZodForm<Schema extends z.ZodType<FieldValues, FieldValues>>(
  schema: Schema,
  options: Omit<UseFormProps<z.input<Schema>, unknown, z.output<Schema>>, "resolver"> & {
    defaultValues: DefaultValues<z.input<Schema>>;
  },
  /** zod's parse options for the resolver: `error`, an error map (messages in the user's words). */
  parseOptions?: { error?: unknown },
): UseFormReturn<z.input<Schema>, unknown, z.output<Schema>> {
  return useForm<z.input<Schema>, unknown, z.output<Schema>>({
    mode: "onTouched",
    ...options,
    // biome-ignore lint/suspicious/noExplicitAny: zodResolver's overloads cannot see through the generic schema.
    resolver: zodResolver(schema as any, parseOptions as never) as never,
  });
}

/**
 * Puts a failed call's field problems (the server's `data.issues`, by dotted path) next to the
 * fields of the form that has them; returns the problems no field of the form shows (for a banner).
 */
export function applyServerErrors<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  error: unknown,
  fields: readonly FieldPath<T>[],
): Record<string, string> {
  const rest: Record<string, string> = {};
  for (const [path, message] of Object.entries(issuesOf(error))) {
    if ((fields as readonly string[]).includes(path)) form.setError(path as FieldPath<T>, { message });
    else rest[path] = message;
  }
  return rest;
}

/** What a {@link FormField}'s control receives: spread it on the input (or adapt it for a Select). */
export interface FieldControlProps {
  id: string;
  name: string;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur: () => void;
  ref: (element: HTMLElement | null) => void;
  disabled?: boolean;
  "aria-invalid": boolean | undefined;
  "aria-describedby": string | undefined;
}

/**
 * One field of a react-hook-form form: its label, the control (a render function gets the props to
 * spread), and underneath either the help text or the field's problem (role `alert`), with the
 * control's `aria-describedby` pointing at whichever is shown and `aria-invalid` while it is wrong.
 */
export function FormField<T extends FieldValues, Name extends FieldPath<T>>({
  form,
  name,
  label,
  help,
  id: givenId,
  children,
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: Name;
  label: ReactNode;
  help?: ReactNode;
  id?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const autoId = useId();
  const id = givenId ?? `${autoId}-${name}`;
  const { field, fieldState } = useController({ control: form.control, name });
  const error = fieldState.error?.message;
  const describedBy = error ? `${id}-error` : help ? `${id}-help` : undefined;
  return (
    <Flex direction="column" gap="1" mt="3" className="form-field">
      <Text as="label" htmlFor={id} size="2" weight="medium">
        {label}
      </Text>
      {children({
        id,
        name: field.name,
        value: field.value,
        onChange: field.onChange,
        onBlur: field.onBlur,
        ref: field.ref,
        disabled: field.disabled,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
      {error ? (
        <Text size="1" color="red" id={`${id}-error`} role="alert" data-testid={`error-${name}`}>
          {error}
        </Text>
      ) : help ? (
        <Text size="1" color="gray" id={`${id}-help`}>
          {help}
        </Text>
      ) : null}
    </Flex>
  );
}

/**
 * The props binding a text control (input or textarea) to its field: the caller's props first, the
 * field's after, except `disabled` (the control's is the form's, usually undefined: the caller's wins
 * when given). `empty: "absent"` stores an emptied text as undefined (an optional string of the contract).
 */
function boundText(
  input: { disabled?: boolean },
  { value, onChange, ref, ...control }: FieldControlProps,
  empty: "" | "absent",
) {
  return {
    ...input,
    ...control,
    ref: ref as never,
    disabled: input.disabled ?? control.disabled,
    value: typeof value === "string" ? value : "",
    onChange: (event: { target: { value: string } }) =>
      onChange(empty === "absent" && event.target.value === "" ? undefined : event.target.value),
  };
}

/**
 * A {@link FormField} holding a text input (any `type`: email, password, url, number as text).
 * `empty="absent"`: an emptied input leaves the field undefined rather than "".
 */
export function TextFormField<T extends FieldValues, Name extends FieldPath<T>>({
  form,
  name,
  label,
  help,
  id,
  empty = "",
  ...input
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: Name;
  label: ReactNode;
  help?: ReactNode;
  id?: string;
  empty?: "" | "absent";
} & Omit<ComponentProps<typeof TextField.Root>, "form" | "name" | "id" | "value" | "onChange" | "onBlur">) {
  return (
    <FormField form={form} name={name} label={label} help={help} id={id}>
      {(control) => <TextField.Root {...boundText(input, control, empty)} />}
    </FormField>
  );
}

/** A {@link FormField} holding a multi-line text. */
export function TextAreaFormField<T extends FieldValues, Name extends FieldPath<T>>({
  form,
  name,
  label,
  help,
  id,
  ...input
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: Name;
  label: ReactNode;
  help?: ReactNode;
  id?: string;
} & Omit<ComponentProps<typeof TextArea>, "form" | "name" | "id" | "value" | "onChange" | "onBlur">) {
  return (
    <FormField form={form} name={name} label={label} help={help} id={id}>
      {(control) => <TextArea {...boundText(input, control, "")} />}
    </FormField>
  );
}

/**
 * Like {@link applyServerErrors}, for forms whose fields are not named as the request's paths (an
 * update's `patch.name`, a nested `config.baseUrl`): `fieldOf` maps a server path to the form's
 * field, or `undefined` when no field shows it. Returns the problems no field shows.
 */
export function applyServerErrorsAt<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  error: unknown,
  fieldOf: (path: string) => FieldPath<T> | undefined,
): Record<string, string> {
  const rest: Record<string, string> = {};
  for (const [path, message] of Object.entries(issuesOf(error))) {
    const field = fieldOf(path);
    if (field) form.setError(field, { message });
    else rest[path] = message;
  }
  return rest;
}
