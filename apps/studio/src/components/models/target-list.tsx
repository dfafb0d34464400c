"use client";
import { Button } from "@radix-ui/themes";

import { ArrowDown, ArrowUp, GripVertical, Trash2 } from "lucide-react";
import { type DragEvent, useState } from "react";
import { invalidProps } from "../field";
import { SimpleSelect } from "../ui/simple-select";

/** One row of the route editor: a target with a stable key for React and drag-and-drop. */
export interface TargetDraft {
  key: string;
  provider: string;
  model: string;
  contextTokens: string;
  json: boolean;
  tools: boolean;
  /** Per-target timeout (ms), kept as it was: the editor does not show it. */
  timeoutMs?: number;
}

/** `list` with the item at `from` moved to index `to`. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item === undefined) return next;
  next.splice(Math.max(0, Math.min(to, next.length)), 0, item);
  return next;
}

/**
 * The route's targets as an ordered list: drag a row by its handle (HTML5 drag and drop) or use
 * the up/down buttons (or the arrow keys on the handle) to reorder; the order is the fallback order.
 */
export function TargetList({
  targets,
  onChange,
  providers,
  modelSuggestions,
  errors,
}: {
  targets: TargetDraft[];
  onChange: (targets: TargetDraft[]) => void;
  providers: string[];
  modelSuggestions: (provider: string) => string[];
  errors: Record<string, string>;
}) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<{ index: number; after: boolean } | null>(null);
  const [handleArmed, setHandleArmed] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const move = (from: number, to: number) => {
    if (to < 0 || to >= targets.length || from === to) return;
    const moved = targets[from];
    onChange(moveItem(targets, from, to));
    if (moved) setAnnouncement(`${moved.provider}/${moved.model || "?"} moved to position ${to + 1}`);
  };
  const update = (index: number, patch: Partial<TargetDraft>) =>
    onChange(targets.map((target, i) => (i === index ? { ...target, ...patch } : target)));

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
    <>
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
        {targets.map((target, index) => {
          const path = (field: string) => `policy.targets.${index}.${field}`;
          const id = (field: string) => `target-${target.key}-${field}`;
          const rowError = errors[path("provider")] ?? errors[path("model")] ?? errors[path("contextTokens")];
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
              key={target.key}
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
              <button
                type="button"
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
              </button>
              <span className="position">{index + 1}</span>
              <div>
                <SimpleSelect
                  id={id("provider")}
                  aria-label={`Provider of target ${index + 1}`}
                  value={target.provider}
                  onValueChange={(value) => update(index, { provider: value })}
                  options={
                    providers.includes(target.provider) || !target.provider
                      ? providers
                      : [target.provider, ...providers]
                  }
                  {...invalidProps(id("provider"), errors[path("provider")])}
                />
              </div>
              <div>
                <input
                  id={id("model")}
                  aria-label={`Model of target ${index + 1}`}
                  list={`models-${target.key}`}
                  value={target.model}
                  placeholder="model id"
                  onChange={(e) => update(index, { model: e.target.value })}
                  {...invalidProps(id("model"), errors[path("model")])}
                />
                <datalist id={`models-${target.key}`}>
                  {modelSuggestions(target.provider).map((model) => (
                    <option key={model} value={model} />
                  ))}
                </datalist>
              </div>
              <input
                id={id("contextTokens")}
                aria-label={`Context window of target ${index + 1}`}
                inputMode="numeric"
                value={target.contextTokens}
                onChange={(e) => update(index, { contextTokens: e.target.value })}
                {...invalidProps(id("contextTokens"), errors[path("contextTokens")])}
              />
              <div className="flags">
                <label title="The model can be asked for a JSON object">
                  <input
                    type="checkbox"
                    checked={target.json}
                    onChange={(e) => update(index, { json: e.target.checked })}
                  />
                  JSON
                </label>
                <label title="The model can call tools">
                  <input
                    type="checkbox"
                    checked={target.tools}
                    onChange={(e) => update(index, { tools: e.target.checked })}
                  />
                  tools
                </label>
              </div>
              <div className="moves">
                <Button
                  variant="soft"
                  color="gray"
                  type="button"
                  aria-label={`Move target ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                >
                  <ArrowUp size={14} aria-hidden />
                </Button>
                <Button
                  variant="soft"
                  color="gray"
                  type="button"
                  aria-label={`Move target ${index + 1} down`}
                  disabled={index === targets.length - 1}
                  onClick={() => move(index, index + 1)}
                >
                  <ArrowDown size={14} aria-hidden />
                </Button>
                <Button
                  variant="soft"
                  color="red"
                  type="button"
                  aria-label={`Remove target ${index + 1}`}
                  onClick={() => onChange(targets.filter((_, i) => i !== index))}
                >
                  <Trash2 size={14} aria-hidden />
                </Button>
              </div>
              {rowError && (
                <div className="field-error" style={{ gridColumn: "3 / -1" }} role="alert">
                  {rowError}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
