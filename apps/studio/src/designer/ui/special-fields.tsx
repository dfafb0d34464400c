"use client";

import { type FlowDocument, nodeCatalog } from "@parley/flow-schema";
import { Flex, TextField } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { SimpleSelect } from "../../components/ui/simple-select";
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
    <Flex gap="2" align="center" className="duration-field">
      <TextField.Root
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
      <SimpleSelect
        aria-label="Unit"
        value={unit}
        onValueChange={(next) => {
          const picked = next as MsDurationUnit;
          setUnit(picked);
          const amount = Number(text);
          if (text.trim() !== "" && Number.isFinite(amount)) onChange(joinMs(amount, picked));
        }}
        options={msDurationUnits.map((u) => ({ value: u.unit, label: u.label }))}
      />
    </Flex>
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
    <SimpleSelect
      id={id}
      value={value}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      placeholder="Choose a step…"
      style={{ width: "100%" }}
      onValueChange={onChange}
      options={[
        ...(value && !nodes.some((n) => n.id === value) ? [{ value, label: `${value} (missing)` }] : []),
        ...nodes.map((n) => ({
          value: n.id,
          label: `${n.label?.trim() || nodeCatalog[n.kind].label} (${nodeCatalog[n.kind].label.toLowerCase()})`,
        })),
      ]}
    />
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
    <SimpleSelect
      id={id}
      value={value}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      placeholder={flows.isLoading ? "Loading flows…" : "Choose a flow…"}
      style={{ width: "100%" }}
      onValueChange={onChange}
      options={[
        ...(value && !items.some((f) => f.id === value) ? [{ value, label: value }] : []),
        ...items.map((f) => ({ value: f.id, label: f.name })),
      ]}
    />
  );
}
