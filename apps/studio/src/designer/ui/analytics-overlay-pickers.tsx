"use client";

import { Text } from "@radix-ui/themes";
import { RANGE_PRESETS, type RangePresetId } from "../../components/analytics/range";
import { SimpleSelect } from "../../components/ui/simple-select";
import type { useNodeAnalytics } from "./hooks/use-node-analytics";

/** The drop-off overlay's version and date range pickers, with what it shows and any error. */
export function OverlayPickers({ state }: { state: ReturnType<typeof useNodeAnalytics> }) {
  return (
    <>
      <SimpleSelect
        size="1"
        aria-label="Analytics version"
        value={state.version}
        onValueChange={state.setVersion}
        options={[
          { value: "", label: "latest version" },
          ...state.versions.map((v) => ({ value: String(v), label: `v${v}` })),
        ]}
      />
      <SimpleSelect
        size="1"
        aria-label="Analytics range"
        value={state.preset}
        onValueChange={(value) => state.setPreset(value as RangePresetId)}
        options={RANGE_PRESETS.map((p) => ({ value: p.id, label: p.label }))}
      />
      {state.data && (
        <Text size="1" color="gray" data-testid="analytics-summary">
          {state.data.conversations} conversations on v{state.data.version ?? "–"}
        </Text>
      )}
      {state.error ? (
        <Text size="1" color="red" role="alert">
          Could not load analytics
        </Text>
      ) : null}
    </>
  );
}
