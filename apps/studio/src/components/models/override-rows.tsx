"use client";
import { Box, Button, Flex, IconButton, Text } from "@radix-ui/themes";
import { Plus, Trash2 } from "lucide-react";
import { Controller, useFieldArray } from "react-hook-form";
import { ComboboxInput } from "../ui/combobox-input";
import { FieldError, useFieldError } from "../ui/form-controls";
import { SimpleSelect } from "../ui/simple-select";
import type { BotRoutingForm } from "./bot-overrides-form";

/** One override row: "A node asking for [name] uses [route]", each with its problem underneath. */
function OverrideRow({
  form,
  index,
  routes,
  suggestions,
  disabled,
  onRemove,
}: {
  form: BotRoutingForm;
  index: number;
  routes: string[];
  /** Route names to suggest for the asked-for name (any other may be typed). */
  suggestions: string[];
  disabled: boolean;
  onRemove: () => void;
}) {
  const requested = `routeOverrides.${index}.requested` as const;
  const route = `routeOverrides.${index}.route` as const;
  const requestedError = useFieldError(form, requested);
  const ids = { requested: `override-${index}-requested`, route: `override-${index}-route` };
  return (
    <li className="override-row" data-testid={`override-${index}`}>
      <Text size="2" color="gray">
        A node asking for
      </Text>
      <div>
        <Controller
          control={form.control}
          name={requested}
          render={({ field }) => (
            <ComboboxInput
              id={ids.requested}
              aria-label={`Route name asked for, override ${index + 1}`}
              placeholder="e.g. fast"
              disabled={disabled}
              name={field.name}
              inputRef={field.ref}
              value={field.value ?? ""}
              onChange={field.onChange}
              onBlur={field.onBlur}
              suggestions={suggestions}
              listLabel="Route names"
              aria-invalid={requestedError ? true : undefined}
              aria-describedby={requestedError ? `${ids.requested}-error` : undefined}
            />
          )}
        />
        <FieldError
          form={form}
          name={requested}
          id={`${ids.requested}-error`}
          testId={`error-override-${index}-requested`}
        />
      </div>
      <Text size="2" color="gray">
        uses
      </Text>
      <div>
        <Controller
          control={form.control}
          name={route}
          render={({ field, fieldState }) => {
            const value = field.value ?? "";
            return (
              <SimpleSelect
                id={ids.route}
                aria-label={`Route used instead, override ${index + 1}`}
                aria-invalid={fieldState.error ? true : undefined}
                aria-describedby={fieldState.error ? `${ids.route}-error` : undefined}
                value={value}
                disabled={disabled}
                onValueChange={field.onChange}
                style={{ width: "100%" }}
                options={routes.includes(value) || !value ? routes : [value, ...routes]}
              />
            );
          }}
        />
        <FieldError
          form={form}
          name={route}
          id={`${ids.route}-error`}
          testId={`error-override-${index}-route`}
        />
      </div>
      {!disabled && (
        <IconButton
          size="1"
          variant="soft"
          color="red"
          type="button"
          aria-label={`Remove override ${index + 1}`}
          onClick={onRemove}
        >
          <Trash2 size={13} aria-hidden />
        </IconButton>
      )}
    </li>
  );
}

/**
 * A bot's route overrides as editable rows: "a node asking for [name] uses [route]". The name is
 * free text (suggested: the names the bot's flows ask for, and the workspace's routes); the route
 * is one of the routes calls can reach.
 */
export function OverrideRows({
  form,
  routes,
  suggestions,
  disabled,
}: {
  form: BotRoutingForm;
  routes: string[];
  suggestions: string[];
  disabled: boolean;
}) {
  const rows = useFieldArray({ control: form.control, name: "routeOverrides" });
  return (
    <Box>
      {rows.fields.length === 0 ? (
        <Text as="p" size="2" color="gray">
          No overrides: nodes get the route they name.
        </Text>
      ) : (
        <ol className="override-list" aria-label="Route overrides">
          {rows.fields.map((field, index) => (
            <OverrideRow
              key={field.id}
              form={form}
              index={index}
              routes={routes}
              suggestions={suggestions}
              disabled={disabled}
              onRemove={() => rows.remove(index)}
            />
          ))}
        </ol>
      )}
      {!disabled && (
        <Flex mt="2">
          <Button
            size="1"
            variant="soft"
            color="gray"
            type="button"
            onClick={() => rows.append({ requested: "", route: routes[0] ?? "" })}
          >
            <Plus size={13} aria-hidden /> Add override
          </Button>
        </Flex>
      )}
    </Box>
  );
}
