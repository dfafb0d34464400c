"use client";

import { Checkbox, Flex, RadioCards, Text, TextField } from "@radix-ui/themes";
import { type ComponentProps, type ReactNode, useId } from "react";
import {
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  get,
  type UseFormProps,
  type UseFormReturn,
  useController,
  useFormState,
} from "react-hook-form";
import { z } from "zod";
import { issuesOf } from "../field";
import { ComboboxInput } from "./combobox-input";
import { FormField, useZodForm } from "./form-field";
import { type SelectOption, SimpleSelect } from "./simple-select";

/*
 * Controls for react-hook-form forms checked by the contract's zod schemas, next to form-field.tsx:
 * numbers typed as text, optional texts ("" is absent), selects, texts with suggestions, checkboxes,
 * radio cards, and the problem of a field shown anywhere (a row of a list, a cell of a table).
 */

/**
 * Readable words for the contract's rules that carry no message of their own ("must be 0 or more"
 * instead of "Too small: expected number to be >=0"); a schema's own message always wins.
 */
export const formErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "number") return "enter a number";
      if (issue.expected === "int") return "must be a whole number";
      return issue.input === undefined || issue.input === null ? "is required" : undefined;
    case "too_small":
      if (issue.origin === "array")
        return Number(issue.minimum) <= 1 ? "choose at least one" : `choose at least ${issue.minimum}`;
      if (issue.origin === "number" || issue.origin === "int")
        return issue.inclusive ? `must be ${issue.minimum} or more` : `must be more than ${issue.minimum}`;
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1 ? "is required" : `must have at least ${issue.minimum} characters`;
      return undefined;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${issue.maximum}`;
      if (issue.origin === "number" || issue.origin === "int")
        return issue.inclusive ? `must be ${issue.maximum} or less` : `must be less than ${issue.maximum}`;
      if (issue.origin === "string") return `must have at most ${issue.maximum} characters`;
      return undefined;
    case "invalid_format":
      return issue.format === "url" ? "must be an http(s) URL" : undefined;
    default:
      return undefined;
  }
};

/**
 * {@link useZodForm} with {@link formErrorMap}: a react-hook-form form checked by the contract's own
 * schema (the one the server validates), in readable words, on submit and then on every change.
 */
export function useContractForm<Schema extends z.ZodType<FieldValues, FieldValues>>(
  schema: Schema,
  options: Omit<UseFormProps<z.input<Schema>, unknown, z.output<Schema>>, "resolver"> & {
    defaultValues: DefaultValues<z.input<Schema>>;
  },
): UseFormReturn<z.input<Schema>, unknown, z.output<Schema>> {
  return useZodForm(
    schema,
    {
      // Checked on submit, then as the user corrects: a check on blur would show a problem (and move
      // the buttons under it) between the press and the release of a click on Save, losing the click.
      mode: "onSubmit",
      reValidateMode: "onChange",
      ...options,
    },
    { error: formErrorMap },
  );
}

/**
 * `schema` plus the problems a function finds in its value, by dotted path
 * (`routeOverrides.1.requested`): checks of the form the contract does not make (a name listed twice).
 * They run even when other fields have problems (so every problem shows at once): `problems` must
 * cope with a value whose other fields are wrong.
 */
export function withProblems<Schema extends z.ZodType>(
  schema: Schema,
  problems: (value: z.output<Schema>) => Record<string, string>,
): Schema {
  return schema.superRefine(
    (value, ctx) => {
      for (const [path, message] of Object.entries(problems(value)))
        ctx.addIssue({
          code: "custom",
          path: path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
          message,
        });
    },
    { when: () => true },
  ) as Schema;
}

/**
 * A list typed as text (origins one per line, address ranges separated by commas), read by `split`
 * and checked with the contract's list schema. Every problem is the text field's own, items named
 * ("ftp://a, b: an origin like https://…"), since the form has no field for `allowedOrigins.1`.
 */
export function listText<Out>(split: (text: string) => string[], schema: z.ZodType<Out>) {
  return z.string().transform((text, ctx): Out => {
    const items = split(text);
    const parsed = schema.safeParse(items, { error: formErrorMap });
    if (parsed.success) return parsed.data;
    // One problem per message, naming the items that have it.
    const itemsBy = new Map<string, string[]>();
    for (const issue of parsed.error.issues) {
      const at = issue.path[0];
      const named = itemsBy.get(issue.message) ?? [];
      if (typeof at === "number" && items[at] !== undefined) named.push(items[at]);
      itemsBy.set(issue.message, named);
    }
    for (const [message, named] of itemsBy)
      ctx.addIssue({
        code: "custom",
        message: named.length > 0 ? `${named.join(", ")}: ${message}` : message,
      });
    return z.NEVER;
  });
}

/**
 * Puts a failed call's field problems next to the fields that have them, for paths `accepts` matches
 * (a pattern covers list rows: `/^policy\.targets\.\d+\.model$/`), after removing `prefix` (an input
 * that nests the form, e.g. `experiment.`); returns the rest (for a banner).
 */
export function applyServerErrorsWhere<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  error: unknown,
  accepts: RegExp,
  prefix = "",
): Record<string, string> {
  const rest: Record<string, string> = {};
  for (const [raw, message] of Object.entries(issuesOf(error))) {
    const path = prefix && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    if (accepts.test(path)) form.setError(path as FieldPath<T>, { message }, { shouldFocus: false });
    else rest[path] = message;
  }
  return rest;
}

/** The problem of one field (or of a list as a whole), as the form has it now. */
export function useFieldError<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  name: FieldPath<T>,
): string | undefined {
  const { errors } = useFormState({ control: form.control, name });
  const error = get(errors, name) as { message?: string; root?: { message?: string } } | undefined;
  return error?.message ?? error?.root?.message;
}

/** A field's problem where the field has no {@link FormField} around it (a list row, a table cell). */
export function FieldError<T extends FieldValues>({
  form,
  name,
  id,
  testId,
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: FieldPath<T>;
  /** The id the control's `aria-describedby` names. */
  id?: string;
  testId?: string;
}) {
  const message = useFieldError(form, name);
  if (!message) return null;
  return (
    <Text as="p" size="1" color="red" mt="1" id={id} role="alert" data-testid={testId}>
      {message}
    </Text>
  );
}

/**
 * A labelled text input holding a number (typed as text, so "1." and "" can be typed; what is not a
 * number is the schema's problem, shown underneath like any other).
 */
export function NumberFormField<T extends FieldValues>({
  form,
  name,
  label,
  help,
  id: givenId,
  ...input
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: FieldPath<T>;
  label: ReactNode;
  help?: ReactNode;
  id?: string;
} & Omit<ComponentProps<typeof TextField.Root>, "form" | "name" | "id" | "value" | "onChange" | "onBlur">) {
  const autoId = useId();
  const id = givenId ?? `${autoId}-${name}`;
  const error = useFieldError(form, name);
  return (
    <Flex direction="column" gap="1" mt="3" className="form-field">
      <Text as="label" htmlFor={id} size="2" weight="medium">
        {label}
      </Text>
      <TextField.Root
        inputMode="decimal"
        {...input}
        id={id}
        {...form.register(name, { setValueAs: numberOf })}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : help ? `${id}-help` : undefined}
      />
      {error ? (
        <Text size="1" color="red" id={`${id}-error`} role="alert">
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

/** What a number typed as text is: absent when empty, NaN when not a number (the schema says so). */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  const text = String(value ?? "").trim();
  return text === "" ? undefined : Number(text);
}

/**
 * A labelled {@link SimpleSelect}. `empty` is what the list's value "" stands for in the form:
 * `"absent"` (undefined) for an optional field, `null` for a nullable one; by default "" itself.
 */
export function SelectFormField<T extends FieldValues>({
  form,
  name,
  label,
  help,
  id,
  options,
  empty = "",
  onPicked,
  ...select
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: FieldPath<T>;
  label: ReactNode;
  help?: ReactNode;
  id?: string;
  options: readonly SelectOption[];
  empty?: "" | "absent" | null;
  /** Told after the user picks a value (to adjust other fields). */
  onPicked?: (value: string) => void;
  placeholder?: string;
  disabled?: boolean;
  style?: ComponentProps<typeof SimpleSelect>["style"];
}) {
  return (
    <FormField form={form} name={name} label={label} help={help} id={id}>
      {({ value, onChange, onBlur, id: controlId, ...control }) => (
        <SimpleSelect
          {...select}
          id={controlId}
          aria-invalid={control["aria-invalid"]}
          aria-describedby={control["aria-describedby"]}
          value={typeof value === "string" ? value : ""}
          onValueChange={(next) => {
            onChange(next !== "" ? next : empty === "absent" ? undefined : empty);
            onBlur();
            onPicked?.(next);
          }}
          options={options}
        />
      )}
    </FormField>
  );
}

/**
 * A labelled {@link ComboboxInput}: a text field whose suggestions drop down as the user types (a
 * language code, a provider's name); any other text may be typed. `empty="absent"`: an emptied field
 * is undefined rather than "".
 */
export function ComboboxFormField<T extends FieldValues>({
  form,
  name,
  label,
  help,
  id,
  suggestions,
  empty = "",
  ...input
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: FieldPath<T>;
  label: ReactNode;
  help?: ReactNode;
  id?: string;
  suggestions: ComponentProps<typeof ComboboxInput>["suggestions"];
  empty?: "" | "absent";
} & Pick<
  ComponentProps<typeof ComboboxInput>,
  "filter" | "listLabel" | "placeholder" | "disabled" | "inputMode" | "style" | "data-testid"
>) {
  return (
    <FormField form={form} name={name} label={label} help={help} id={id}>
      {({ value, onChange, ref, disabled, ...control }) => (
        <ComboboxInput
          {...input}
          {...control}
          inputRef={ref as never}
          disabled={input.disabled ?? disabled}
          value={typeof value === "string" ? value : ""}
          onChange={(next) => onChange(empty === "absent" && next === "" ? undefined : next)}
          suggestions={suggestions}
        />
      )}
    </FormField>
  );
}

/** A Radix checkbox with its words, bound to a boolean field. */
export function CheckboxField<T extends FieldValues>({
  form,
  name,
  children,
  disabled,
}: {
  form: UseFormReturn<T, unknown, unknown>;
  name: FieldPath<T>;
  children: ReactNode;
  disabled?: boolean;
}) {
  const { field } = useController({ control: form.control, name });
  return (
    <Text as="label" size="2" mt="2" style={{ display: "flex", gap: "var(--space-2)", alignItems: "center" }}>
      <Checkbox
        checked={field.value === true}
        disabled={disabled}
        onCheckedChange={(checked) => field.onChange(checked === true)}
        onBlur={field.onBlur}
        ref={field.ref as never}
      />
      {children}
    </Text>
  );
}

/** One choice of a {@link ChoiceCards}: a value, its name and a line saying what it does. */
export interface Choice<V extends string> {
  value: V;
  label: string;
  hint: ReactNode;
  disabled?: boolean;
}

/** Radix radio cards for a small set of choices (each with a line of explanation), in a labelled group. */
export function ChoiceCards<V extends string>({
  label,
  value,
  onChange,
  choices,
  disabled,
  columns = "2",
}: {
  label: string;
  value: V;
  onChange: (value: V) => void;
  choices: readonly Choice<V>[];
  disabled?: boolean;
  columns?: ComponentProps<typeof RadioCards.Root>["columns"];
}) {
  const labelId = useId();
  return (
    <Flex direction="column" gap="1" mt="3">
      <Text size="2" weight="medium" id={labelId}>
        {label}
      </Text>
      <RadioCards.Root
        aria-labelledby={labelId}
        value={value}
        onValueChange={(next) => onChange(next as V)}
        disabled={disabled}
        columns={columns}
        size="1"
      >
        {choices.map((choice) => (
          <RadioCards.Item key={choice.value} value={choice.value} disabled={choice.disabled}>
            <Flex direction="column" width="100%">
              <Text size="2" weight="bold">
                {choice.label}
              </Text>
              <Text size="1" color="gray">
                {choice.hint}
              </Text>
            </Flex>
          </RadioCards.Item>
        ))}
      </RadioCards.Root>
    </Flex>
  );
}
