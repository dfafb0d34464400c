"use client";

import { Checkbox, Flex, Text } from "@radix-ui/themes";
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
      <Text as="span" size="2">
        <Flex gap="2" align="center">
          Range
          <SimpleSelect
            aria-label="Date range"
            value={preset}
            onValueChange={(value) => onPreset(value as RangePresetId)}
            options={RANGE_PRESETS.map((p) => ({ value: p.id, label: p.label }))}
          />
        </Flex>
      </Text>
      <Text as="label" size="2">
        <Flex gap="2" align="center">
          <Checkbox checked={compare} onCheckedChange={(checked) => onCompare(checked === true)} />
          Compare to previous period
        </Flex>
      </Text>
    </Flex>
  );
}
