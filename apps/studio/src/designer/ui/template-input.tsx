"use client";

import { TextArea, TextField } from "@radix-ui/themes";
import { useRef, useState } from "react";
import {
  applySuggestion,
  filterSuggestions,
  type TemplateQuery,
  templateQueryAt,
  type VariableSuggestion,
} from "../core/autocomplete";

/**
 * A text field that offers variables as soon as `{{` is typed: arrows move, Enter or Tab picks,
 * Escape closes. Multi-line for long texts.
 */
export function TemplateInput({
  id,
  value,
  onChange,
  suggestions,
  multiline,
  invalid,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  suggestions: readonly VariableSuggestion[];
  multiline: boolean;
  invalid: boolean;
}) {
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const [query, setQuery] = useState<TemplateQuery | null>(null);
  const [active, setActive] = useState(0);
  const matches = query ? filterSuggestions(suggestions, query.text) : [];

  const refresh = (text: string, caret: number) => {
    const next = templateQueryAt(text, caret);
    setQuery(next);
    setActive(0);
  };
  const pick = (suggestion: VariableSuggestion) => {
    const element = ref.current;
    if (!element || !query) return;
    const result = applySuggestion(value, element.selectionStart ?? value.length, query, suggestion.path);
    onChange(result.text);
    setQuery(null);
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(result.caret, result.caret);
    });
  };
  const props = {
    id,
    ref,
    value,
    "aria-invalid": invalid,
    autoComplete: "off",
    onChange: (event: { target: { value: string; selectionStart: number | null } }) => {
      onChange(event.target.value);
      refresh(event.target.value, event.target.selectionStart ?? event.target.value.length);
    },
    onKeyDown: (event: React.KeyboardEvent) => {
      if (!query || matches.length === 0) return;
      if (event.key === "ArrowDown") setActive((active + 1) % matches.length);
      else if (event.key === "ArrowUp") setActive((active - 1 + matches.length) % matches.length);
      else if (event.key === "Enter" || event.key === "Tab") pick(matches[active] as VariableSuggestion);
      else if (event.key === "Escape") setQuery(null);
      else return;
      event.preventDefault();
    },
    onBlur: () => setTimeout(() => setQuery(null), 150),
  };
  return (
    <div className="template-input">
      {multiline ? <TextArea {...props} /> : <TextField.Root {...props} />}
      {query && matches.length > 0 && (
        <div className="autocomplete" role="listbox" data-testid="autocomplete">
          {matches.map((suggestion, index) => (
            <div
              key={suggestion.path}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              className={index === active ? "active" : ""}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(suggestion);
              }}
            >
              <code>{suggestion.path}</code> <span className="muted">{suggestion.type}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
