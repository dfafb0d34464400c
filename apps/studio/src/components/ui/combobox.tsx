"use client";

import { Button, Popover, Text } from "@radix-ui/themes";
import { Command } from "cmdk";
import { Check, ChevronsUpDown } from "lucide-react";
import { type ReactNode, useState } from "react";

/** One choice of a {@link Combobox}. */
export interface ComboboxOption {
  value: string;
  label: string;
  /** Shown after the label, quieter (a kind, a count). */
  hint?: string;
  /** Extra words the filter matches (ids, synonyms). */
  keywords?: string[];
}

/**
 * A searchable single choice: a button showing the choice opens a Radix Popover with a cmdk list
 * (input role `combobox`, list `listbox`, arrow keys, Enter, Escape, type to filter). With
 * `createLabel`, text that matches nothing can be taken as a new value ("Create “…”").
 */
export function Combobox({
  id,
  "aria-label": ariaLabel,
  "aria-describedby": describedBy,
  "aria-invalid": invalid,
  options,
  value,
  onChange,
  placeholder = "Choose…",
  searchPlaceholder = "Search…",
  empty = "Nothing matches.",
  createLabel,
  disabled,
  width = "240px",
}: {
  id?: string;
  "aria-label"?: string;
  "aria-describedby"?: string | undefined;
  "aria-invalid"?: boolean | undefined;
  options: readonly ComboboxOption[];
  value: string | null;
  onChange: (value: string) => void;
  placeholder?: string;
  searchPlaceholder?: string;
  empty?: ReactNode;
  /** Offer the typed text as a new value: `(text) => \`Create variable "${text}"\``. */
  createLabel?: (text: string) => string;
  disabled?: boolean;
  width?: string;
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const chosen = options.find((option) => option.value === value);
  const typed = search.trim();
  const offerCreate =
    createLabel !== undefined &&
    typed !== "" &&
    !options.some((option) => option.value === typed || option.label === typed);
  const pick = (next: string) => {
    onChange(next);
    setOpen(false);
    setSearch("");
  };
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger>
        <Button
          id={id}
          type="button"
          variant="surface"
          color="gray"
          role="combobox"
          aria-expanded={open}
          aria-haspopup="listbox"
          aria-label={ariaLabel}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          disabled={disabled}
          style={{ width, justifyContent: "space-between" }}
        >
          <Text truncate color={chosen || value ? undefined : "gray"}>
            {chosen?.label ?? (value || placeholder)}
          </Text>
          <ChevronsUpDown size={14} aria-hidden />
        </Button>
      </Popover.Trigger>
      <Popover.Content className="combobox" style={{ padding: 0, width }} align="start">
        <Command label={ariaLabel ?? placeholder}>
          <Command.Input
            value={search}
            onValueChange={setSearch}
            placeholder={searchPlaceholder}
            className="combobox-input"
          />
          <Command.List className="combobox-list">
            <Command.Empty className="combobox-empty">{offerCreate ? null : empty}</Command.Empty>
            {options.map((option) => (
              <Command.Item
                key={option.value}
                value={option.value}
                keywords={[option.label, ...(option.keywords ?? [])]}
                onSelect={() => pick(option.value)}
                className="combobox-item"
              >
                <Check
                  size={14}
                  aria-hidden
                  style={{ visibility: option.value === value ? "visible" : "hidden" }}
                />
                <span>{option.label}</span>
                {option.hint && (
                  <Text size="1" color="gray">
                    {option.hint}
                  </Text>
                )}
              </Command.Item>
            ))}
            {offerCreate && (
              <Command.Item
                value={`__create:${typed}`}
                onSelect={() => pick(typed)}
                className="combobox-item"
              >
                {createLabel(typed)}
              </Command.Item>
            )}
          </Command.List>
        </Command>
      </Popover.Content>
    </Popover.Root>
  );
}
