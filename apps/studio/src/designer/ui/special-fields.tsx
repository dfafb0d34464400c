"use client";

import { type FlowDocument, nodeCatalog } from "@parley/flow-schema";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { joinMs, type MsDurationUnit, msDurationUnits, splitMs } from "../core/durations";

/** A duration stored in milliseconds, edited as an amount and a unit (ms, s, min). */
export function DurationMsField({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  value: number | undefined;
  onChange: (ms: number | undefined) => void;
  invalid: boolean;
  describedBy?: string;
}) {
  const initial = splitMs(value ?? 0);
  const [unit, setUnit] = useState<MsDurationUnit>(initial.unit);
  const [text, setText] = useState(value === undefined ? "" : String(initial.amount));
  // Follow outside changes (undo, paste) unless what is typed already says the same.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new value from outside resets the fields
  useEffect(() => {
    if (value === undefined || joinMs(Number(text), unit) === value) return;
    const next = splitMs(value);
    setText(String(next.amount));
    setUnit(next.unit);
  }, [value]);
  return (
    <div className="row duration-field">
      <input
        id={id}
        inputMode="decimal"
        value={text}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        style={{ width: 110 }}
        onChange={(event) => {
          setText(event.target.value);
          const amount = Number(event.target.value);
          if (event.target.value.trim() === "") onChange(undefined);
          else if (Number.isFinite(amount)) onChange(joinMs(amount, unit));
        }}
      />
      <select
        aria-label="Unit"
        value={unit}
        onChange={(event) => {
          const next = event.target.value as MsDurationUnit;
          setUnit(next);
          const amount = Number(text);
          if (text.trim() !== "" && Number.isFinite(amount)) onChange(joinMs(amount, next));
        }}
      >
        {msDurationUnits.map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A step of this flow, by its title (the jump target). */
export function NodeField({
  id,
  value,
  onChange,
  doc,
  selfId,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (nodeId: string) => void;
  doc: FlowDocument;
  selfId: string;
  invalid: boolean;
  describedBy?: string;
}) {
  const nodes = doc.nodes.filter((n) => n.id !== selfId && n.kind !== "start");
  return (
    <select
      id={id}
      value={value}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">Choose a step…</option>
      {value && !nodes.some((n) => n.id === value) && <option value={value}>{value} (missing)</option>}
      {nodes.map((n) => (
        <option key={n.id} value={n.id}>
          {n.label?.trim() || nodeCatalog[n.kind].label} ({nodeCatalog[n.kind].label.toLowerCase()})
        </option>
      ))}
    </select>
  );
}

/** Another flow of this bot, by name (the subflow to run). */
export function FlowField({
  id,
  value,
  onChange,
  botId,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (flowId: string) => void;
  botId: string;
  invalid: boolean;
  describedBy?: string;
}) {
  const trpc = useTRPC();
  const flows = useQuery(trpc.flows.list.queryOptions({ botId }));
  const items = flows.data ?? [];
  return (
    <select
      id={id}
      value={value}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">Choose a flow…</option>
      {value && !items.some((f) => f.id === value) && <option value={value}>{value}</option>}
      {items.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name}
        </option>
      ))}
    </select>
  );
}
