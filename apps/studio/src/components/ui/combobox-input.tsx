"use client";

import { IconButton, Popover, Text, TextField } from "@radix-ui/themes";
import { ChevronDown } from "lucide-react";
import {
  type ComponentProps,
  type CSSProperties,
  type KeyboardEvent,
  type Ref,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { matchingSuggestions, type Suggestion, suggestionOptions } from "./suggestions";

/**
 * A text field with suggestions (the replacement for `<input list>` + `<datalist>`): any text may be
 * typed, and the suggestions matching it drop down under the field (the WAI-ARIA combobox with list
 * autocomplete: the input has role `combobox`, the list `listbox`; Down/Up move through the list,
 * Enter takes the highlighted suggestion, Escape or Tab closes it; the chevron opens the whole
 * list). Nothing is highlighted until the user moves into the list, so Enter on typed text keeps
 * it (and submits the form) rather than swapping in the first suggestion, as a Select would.
 *
 * The list sits in a Radix Popover (a layer over the page, not clipped by a scrolling panel).
 * Radix Themes' `Popover.Anchor` renders no children, so an empty anchor laid over the field
 * places it.
 */
export function ComboboxInput({
  id,
  name,
  value,
  onChange,
  onBlur,
  inputRef,
  suggestions,
  filter = true,
  listLabel = "Suggestions",
  "aria-label": ariaLabel,
  "aria-invalid": invalid,
  "aria-describedby": describedBy,
  placeholder,
  disabled,
  size = "2",
  inputMode,
  style,
  "data-testid": testId,
}: {
  id?: string;
  name?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  inputRef?: Ref<HTMLInputElement>;
  suggestions: readonly Suggestion[];
  /** `false` when the suggestions already match the text (the server searched for it). */
  filter?: boolean;
  /** The list's accessible name ("Languages"). */
  listLabel?: string;
  "aria-label"?: string;
  "aria-invalid"?: boolean | undefined;
  "aria-describedby"?: string | undefined;
  placeholder?: string;
  disabled?: boolean | undefined;
  size?: "1" | "2" | "3";
  inputMode?: ComponentProps<"input">["inputMode"];
  /** The field's box (its width, grid placement). */
  style?: CSSProperties;
  /** Names the list, for tests. */
  "data-testid"?: string;
}) {
  const base = useId();
  const listId = `${base}-list`;
  const optionId = (index: number) => `${base}-option-${index}`;
  const box = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  // What was typed since the list opened; null: opened by the chevron or Down (every suggestion).
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const options = suggestionOptions(suggestions);
  const shown = filter ? matchingSuggestions(options, query) : options;
  const expanded = open && !disabled && shown.length > 0;

  const show = (typed: string | null) => {
    setQuery(typed);
    setActive(-1);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    setActive(-1);
  };
  const pick = (next: string) => {
    onChange(next);
    close();
  };

  // The highlighted suggestion stays in sight as Down/Up move through a long list.
  // biome-ignore lint/correctness/useExhaustiveDependencies: optionId only reads the stable base id
  useEffect(() => {
    if (expanded && active >= 0)
      document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  }, [expanded, active]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!expanded) show(null);
      else setActive((index) => (index + 1) % shown.length);
    } else if (event.key === "ArrowUp" && expanded) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? shown.length - 1 : index - 1));
    } else if (event.key === "Enter" && expanded && active >= 0) {
      event.preventDefault();
      const chosen = shown[active];
      if (chosen) pick(chosen.value);
    } else if (event.key === "Escape" && expanded) {
      // The list closes; a dialog around the field stays open.
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  return (
    <Popover.Root open={expanded} onOpenChange={(next) => (next ? setOpen(true) : close())}>
      <div ref={box} style={{ position: "relative", minWidth: 0, ...style }}>
        <Popover.Anchor style={{ position: "absolute", inset: 0, pointerEvents: "none" }} />
        <TextField.Root
          ref={inputRef}
          id={id}
          name={name}
          size={size}
          value={value}
          placeholder={placeholder}
          disabled={disabled}
          inputMode={inputMode}
          autoComplete="off"
          role="combobox"
          aria-label={ariaLabel}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={expanded ? listId : undefined}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          onChange={(event) => {
            onChange(event.target.value);
            show(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            close();
            onBlur?.();
          }}
        >
          {options.length > 0 && (
            <TextField.Slot side="right">
              <IconButton
                type="button"
                size="1"
                variant="ghost"
                color="gray"
                tabIndex={-1}
                // Not named after the field: a search by the field's label finds the field alone.
                aria-label="Show suggestions"
                disabled={disabled}
                // The field keeps the focus (the list follows the field's keys).
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => {
                  if (expanded) close();
                  else show(null);
                  box.current?.querySelector("input")?.focus();
                }}
              >
                <ChevronDown size={14} aria-hidden />
              </IconButton>
            </TextField.Slot>
          )}
        </TextField.Root>
      </div>
      <Popover.Content
        id={listId}
        role="listbox"
        aria-label={listLabel}
        data-testid={testId}
        className="combobox-list"
        size="1"
        sideOffset={4}
        style={{
          padding: "var(--space-1)",
          minWidth: "var(--radix-popover-trigger-width)",
          maxWidth: "min(420px, var(--radix-popover-content-available-width))",
          maxHeight: "min(260px, var(--radix-popover-content-available-height))",
        }}
        // A list of the field, not a dialog: the focus stays in the field.
        onOpenAutoFocus={(event) => event.preventDefault()}
        onCloseAutoFocus={(event) => event.preventDefault()}
        onInteractOutside={(event) => {
          if (box.current?.contains(event.target as Node)) event.preventDefault();
        }}
        onMouseDown={(event) => event.preventDefault()}
      >
        {shown.map((option, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the field's keys choose (Down, Up, Enter); an option is never focused (aria-activedescendant)
          <div
            key={option.value}
            id={optionId(index)}
            role="option"
            tabIndex={-1}
            aria-selected={index === active}
            data-selected={index === active}
            className="combobox-item"
            onMouseMove={() => setActive(index)}
            onClick={() => pick(option.value)}
          >
            <span>{option.label}</span>
            {option.hint && (
              <Text size="1" color="gray">
                {option.hint}
              </Text>
            )}
          </div>
        ))}
      </Popover.Content>
    </Popover.Root>
  );
}
