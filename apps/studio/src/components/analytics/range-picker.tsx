"use client";

import { Flex } from "@radix-ui/themes";
import { SimpleSelect } from "../ui/simple-select";
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
      <span className="row" style={{ gap: 6 }}>
        Range
        <SimpleSelect
          aria-label="Date range"
          value={preset}
          onValueChange={(value) => onPreset(value as RangePresetId)}
          options={RANGE_PRESETS.map((p) => ({ value: p.id, label: p.label }))}
        />
      </span>
      <label>
        <input type="checkbox" checked={compare} onChange={(event) => onCompare(event.target.checked)} />{" "}
        Compare to previous period
      </label>
    </Flex>
  );
}
