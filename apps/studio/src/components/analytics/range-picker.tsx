"use client";

import { Flex } from "@radix-ui/themes";
import { RANGE_PRESETS, type RangePresetId } from "./range";

/** The date range select and the compare-to-previous switch of the analytics pages. */
export function RangePicker({
  preset,
  onPreset,
  compare,
  onCompare,
}: {
  preset: RangePresetId;
  onPreset(preset: RangePresetId): void;
  compare: boolean;
  onCompare(compare: boolean): void;
}) {
  return (
    <Flex gap="4" align="center" wrap="wrap" mb="4">
      <label>
        Range{" "}
        <select
          aria-label="Date range"
          value={preset}
          onChange={(event) => onPreset(event.target.value as RangePresetId)}
        >
          {RANGE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={compare} onChange={(event) => onCompare(event.target.checked)} />{" "}
        Compare to previous period
      </label>
    </Flex>
  );
}
