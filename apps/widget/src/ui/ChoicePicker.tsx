import { useState } from "preact/hooks";
import type { ReplyOption } from "../client/types";

/**
 * The options of a choice question or quick replies. Single choice: one button per option.
 * Multiple choice: a group of checkboxes and a Send button.
 */
export function ChoicePicker(props: {
  options: readonly ReplyOption[];
  multiple: boolean;
  label: string;
  disabled: boolean;
  onChoose: (values: string[], label: string) => void;
}) {
  const [picked, setPicked] = useState<readonly string[]>([]);
  if (!props.multiple)
    return (
      <fieldset class="choices">
        <legend class="sr">{props.label}</legend>
        {props.options.map((option) => (
          <button
            key={option.value}
            type="button"
            class="button choice"
            disabled={props.disabled}
            onClick={() => props.onChoose([option.value], option.label)}
          >
            {option.label}
          </button>
        ))}
      </fieldset>
    );
  const toggle = (value: string) =>
    setPicked((current) =>
      current.includes(value) ? current.filter((entry) => entry !== value) : [...current, value],
    );
  const submit = (event: Event) => {
    event.preventDefault();
    const chosen = props.options.filter((option) => picked.includes(option.value));
    if (chosen.length === 0) return;
    props.onChoose(
      chosen.map((option) => option.value),
      chosen.map((option) => option.label).join(", "),
    );
    setPicked([]);
  };
  return (
    <form class="multi" onSubmit={submit}>
      <fieldset>
        <legend class="sr">{props.label}</legend>
        {props.options.map((option) => (
          <label key={option.value} class="check">
            <input
              type="checkbox"
              checked={picked.includes(option.value)}
              disabled={props.disabled}
              onChange={() => toggle(option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button primary" disabled={props.disabled || picked.length === 0}>
        Send selection
      </button>
    </form>
  );
}
