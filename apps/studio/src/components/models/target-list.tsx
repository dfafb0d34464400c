"use client";
import { Box, Checkbox, Flex, IconButton, Text, TextField } from "@radix-ui/themes";
import { ArrowDown, ArrowUp, GripVertical, Trash2 } from "lucide-react";
import { type DragEvent, useState } from "react";
import { Controller, type UseFieldArrayReturn, useFormState } from "react-hook-form";
import { ComboboxInput } from "../ui/combobox-input";
import { numberOf } from "../ui/form-controls";
import { SimpleSelect } from "../ui/simple-select";
import type { RouteForm, RouteValues } from "./route-editor";

/** `list` with the item at `from` moved to index `to`. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item === undefined) return next;
  next.splice(Math.max(0, Math.min(to, next.length)), 0, item);
  return next;
}

/** The first problem of a target row (provider, model, then context window), under the row. */
function RowError({ form, index }: { form: RouteForm; index: number }) {
  const { errors } = useFormState({ control: form.control, name: `policy.targets.${index}` });
  const row = errors.policy?.targets?.[index];
  const message = row?.provider?.message ?? row?.model?.message ?? row?.contextTokens?.message;
  if (!message) return null;
  return (
    <Text
      as="p"
      size="1"
      color="red"
      role="alert"
      id={`target-${index}-error`}
      style={{ gridColumn: "3 / -1" }}
    >
      {message}
    </Text>
  );
}

/** A target's yes/no capability as a Radix checkbox with its words. */
function Flag({
  form,
  name,
  label,
  title,
  fallback,
}: {
  form: RouteForm;
  name: `policy.targets.${number}.json` | `policy.targets.${number}.tools`;
  label: string;
  title: string;
  /** Whether the flag is on when the route does not say (the contract's default). */
  fallback: boolean;
}) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <Text as="label" size="1" title={title} style={{ display: "flex", gap: 4, alignItems: "center" }}>
          <Checkbox
            size="1"
            checked={field.value ?? fallback}
            onCheckedChange={(checked) => field.onChange(checked === true)}
          />
          {label}
        </Text>
      )}
    />
  );
}

/**
 * The route's targets as an ordered list: drag a row by its handle (HTML5 drag and drop) or use
 * the up/down buttons (or the arrow keys on the handle) to reorder; the order is the fallback order.
 */
export function TargetList({
  form,
  targets,
  providers,
  modelSuggestions,
}: {
  form: RouteForm;
  targets: UseFieldArrayReturn<RouteValues, "policy.targets">;
  providers: string[];
  modelSuggestions: (provider: string) => string[];
}) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<{ index: number; after: boolean } | null>(null);
  const [handleArmed, setHandleArmed] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const values = form.watch("policy.targets");

  const move = (from: number, to: number) => {
    if (to < 0 || to >= targets.fields.length || from === to) return;
    const moved = values[from];
    targets.move(from, to);
    if (moved) setAnnouncement(`${moved.provider}/${moved.model || "?"} moved to position ${to + 1}`);
  };

  const onDragOver = (event: DragEvent<HTMLLIElement>, index: number) => {
    if (dragFrom === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const box = event.currentTarget.getBoundingClientRect();
    setDropAt({ index, after: event.clientY > box.top + box.height / 2 });
  };
  const onDrop = (event: DragEvent<HTMLLIElement>) => {
    event.preventDefault();
    if (dragFrom !== null && dropAt) {
      // Index in the list without the dragged row.
      let to = dropAt.index + (dropAt.after ? 1 : 0);
      if (dragFrom < to) to -= 1;
      move(dragFrom, to);
    }
    setDragFrom(null);
    setDropAt(null);
  };

  return (
    <Box mt="4">
      <div className="target-head" aria-hidden>
        <span />
        <span>#</span>
        <span>Provider</span>
        <span>Model</span>
        <span>Context (tokens)</span>
        <span>Can do</span>
        <span />
      </div>
      <ol className="target-list" aria-label="Targets in fallback order">
        {targets.fields.map((field, index) => {
          const provider = values[index]?.provider ?? "";
          const id = (name: string) => `target-${field.id}-${name}`;
          const classes = [
            "target-row",
            dragFrom === index ? "dragging" : "",
            dropAt?.index === index && dragFrom !== index
              ? dropAt.after
                ? "drop-after"
                : "drop-before"
              : "",
          ]
            .filter(Boolean)
            .join(" ");
          return (
            <li
              key={field.id}
              className={classes}
              data-testid={`target-${index}`}
              draggable={handleArmed === index}
              onDragStart={(event) => {
                event.dataTransfer.effectAllowed = "move";
                event.dataTransfer.setData("text/plain", String(index));
                setDragFrom(index);
              }}
              onDragEnd={() => {
                setDragFrom(null);
                setDropAt(null);
                setHandleArmed(null);
              }}
              onDragOver={(event) => onDragOver(event, index)}
              onDrop={onDrop}
            >
              <IconButton
                type="button"
                variant="ghost"
                color="gray"
                className="drag-handle"
                aria-label={`Drag to reorder target ${index + 1}; or press the up and down arrow keys`}
                title="Drag to reorder"
                onMouseDown={() => setHandleArmed(index)}
                onMouseUp={() => setHandleArmed(null)}
                onKeyDown={(event) => {
                  if (event.key === "ArrowUp" || event.key === "ArrowDown") {
                    event.preventDefault();
                    move(index, index + (event.key === "ArrowUp" ? -1 : 1));
                  }
                }}
              >
                <GripVertical size={16} aria-hidden />
              </IconButton>
              <Text size="2" color="gray" className="position">
                {index + 1}
              </Text>
              <Controller
                control={form.control}
                name={`policy.targets.${index}.provider`}
                render={({ field: control, fieldState }) => (
                  <SimpleSelect
                    id={id("provider")}
                    aria-label={`Provider of target ${index + 1}`}
                    aria-invalid={fieldState.error ? true : undefined}
                    aria-describedby={fieldState.error ? `target-${index}-error` : undefined}
                    value={control.value}
                    onValueChange={control.onChange}
                    style={{ width: "100%" }}
                    options={
                      providers.includes(control.value) || !control.value
                        ? providers
                        : [control.value, ...providers]
                    }
                  />
                )}
              />
              <Controller
                control={form.control}
                name={`policy.targets.${index}.model`}
                render={({ field: control }) => (
                  <ComboboxInput
                    id={id("model")}
                    aria-label={`Model of target ${index + 1}`}
                    placeholder="model id"
                    name={control.name}
                    inputRef={control.ref}
                    value={control.value ?? ""}
                    onChange={control.onChange}
                    onBlur={control.onBlur}
                    suggestions={modelSuggestions(provider)}
                    listLabel="Models"
                    {...invalidIf(form, `policy.targets.${index}.model`, index)}
                  />
                )}
              />
              <TextField.Root
                id={id("contextTokens")}
                aria-label={`Context window of target ${index + 1}`}
                inputMode="numeric"
                {...form.register(`policy.targets.${index}.contextTokens`, { setValueAs: numberOf })}
                {...invalidIf(form, `policy.targets.${index}.contextTokens`, index)}
              />
              <Flex gap="3" className="flags">
                <Flag
                  form={form}
                  name={`policy.targets.${index}.json`}
                  label="JSON"
                  fallback
                  title="The model can be asked for a JSON object"
                />
                <Flag
                  form={form}
                  name={`policy.targets.${index}.tools`}
                  label="tools"
                  fallback={false}
                  title="The model can call tools"
                />
              </Flex>
              <Flex gap="1" className="moves">
                <IconButton
                  variant="soft"
                  color="gray"
                  type="button"
                  aria-label={`Move target ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                >
                  <ArrowUp size={14} aria-hidden />
                </IconButton>
                <IconButton
                  variant="soft"
                  color="gray"
                  type="button"
                  aria-label={`Move target ${index + 1} down`}
                  disabled={index === targets.fields.length - 1}
                  onClick={() => move(index, index + 1)}
                >
                  <ArrowDown size={14} aria-hidden />
                </IconButton>
                <IconButton
                  variant="soft"
                  color="red"
                  type="button"
                  aria-label={`Remove target ${index + 1}`}
                  onClick={() => targets.remove(index)}
                >
                  <Trash2 size={14} aria-hidden />
                </IconButton>
              </Flex>
              <RowError form={form} index={index} />
            </li>
          );
        })}
      </ol>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </Box>
  );
}

/** Marks a row's input invalid (pointing at the row's problem) while the form has a problem for it. */
function invalidIf(
  form: RouteForm,
  name: `policy.targets.${number}.${"model" | "contextTokens"}`,
  index: number,
) {
  const error = form.getFieldState(name, form.formState).error;
  return error ? { "aria-invalid": true as const, "aria-describedby": `target-${index}-error` } : {};
}
