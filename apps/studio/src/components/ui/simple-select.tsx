"use client";

import { Select } from "@radix-ui/themes";
import type { CSSProperties } from "react";

/** One choice of a {@link SimpleSelect}: a value and its words (a bare string is both). */
export type SelectOption = string | { value: string; label: string; disabled?: boolean };

/** Radix Select items cannot have the empty string as value: "" travels as this instead. */
const EMPTY = "__empty__";

/**
 * A Radix Select for a plain list of choices (the replacement for a native `<select>`): a button with
 * role `combobox` named by `aria-label` or its `<label htmlFor={id}>`, a listbox of options (arrow
 * keys, type-ahead, Enter, Escape). An option whose value is "" (e.g. "Any status") is allowed.
 * The list is at least as wide as the trigger and at most as wide as the viewport; an option longer
 * than that wraps rather than being clipped.
 */
export function SimpleSelect({
  value,
  onValueChange,
  options,
  id,
  "aria-label": ariaLabel,
  "aria-invalid": invalid,
  "aria-describedby": describedBy,
  placeholder,
  disabled,
  size = "2",
  style,
  "data-testid": testId,
}: {
  value: string;
  onValueChange: (value: string) => void;
  options: readonly SelectOption[];
  id?: string;
  "aria-label"?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  placeholder?: string;
  disabled?: boolean;
  size?: "1" | "2" | "3";
  style?: CSSProperties;
  "data-testid"?: string;
}) {
  const items = options.map((option) =>
    typeof option === "string" ? { value: option, label: option } : option,
  );
  const chosen = items.find((item) => item.value === value);
  const known = chosen !== undefined;
  return (
    <Select.Root
      value={known ? value || EMPTY : undefined}
      onValueChange={(next) => onValueChange(next === EMPTY ? "" : next)}
      disabled={disabled}
      size={size}
    >
      <Select.Trigger
        id={id}
        aria-label={ariaLabel}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        placeholder={placeholder ?? "Choose…"}
        // A choice too long for the trigger is cut with an ellipsis: the whole of it shows on hover.
        title={chosen?.label}
        style={style}
        data-testid={testId}
      />
      {/* nokey: keys pressed in the open list (Backspace) are not the designer canvas's Delete
          (React Flow leaves alone the keys of an element inside `.nokey`). */}
      <Select.Content position="popper" className="simple-select-content nokey">
        {items.map((item) => (
          <Select.Item key={item.value || EMPTY} value={item.value || EMPTY} disabled={item.disabled}>
            {item.label}
          </Select.Item>
        ))}
      </Select.Content>
    </Select.Root>
  );
}
