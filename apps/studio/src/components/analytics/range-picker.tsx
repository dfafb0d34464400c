"use client";

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
    <div className="analytics-controls">
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
    </div>
  );
}
