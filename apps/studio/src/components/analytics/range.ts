/** A date range of the analytics pages, as ISO strings for the API. */
export interface AnalyticsRange {
  from: string;
  to: string;
}

/** The presets of the range picker. */
export const RANGE_PRESETS = [
  { id: "1h", label: "Last hour", ms: 60 * 60 * 1000 },
  { id: "24h", label: "Last 24 hours", ms: 24 * 60 * 60 * 1000 },
  { id: "7d", label: "Last 7 days", ms: 7 * 24 * 60 * 60 * 1000 },
  { id: "30d", label: "Last 30 days", ms: 30 * 24 * 60 * 60 * 1000 },
  { id: "90d", label: "Last 90 days", ms: 90 * 24 * 60 * 60 * 1000 },
  { id: "365d", label: "Last year", ms: 365 * 24 * 60 * 60 * 1000 },
] as const;
/** A preset's id. */
export type RangePresetId = (typeof RANGE_PRESETS)[number]["id"];

/**
 * The range of a preset ending a minute after `now` rounded up to the next minute (so the live
 * refetch keeps the same query key for a minute), and the equally long range just before it (compare-to-previous).
 */
export function rangesOf(
  preset: RangePresetId,
  now = Date.now(),
): { current: AnalyticsRange; previous: AnalyticsRange } {
  const ms = RANGE_PRESETS.find((p) => p.id === preset)?.ms ?? RANGE_PRESETS[2].ms;
  // A minute of slack past the next whole minute: what happens between two clock ticks is inside.
  const to = Math.ceil((now + 1) / 60_000) * 60_000 + 60_000;
  const iso = (t: number) => new Date(t).toISOString();
  return {
    current: { from: iso(to - ms), to: iso(to) },
    previous: { from: iso(to - 2 * ms), to: iso(to - ms) },
  };
}

/** The time series interval that fits a range (at most a few hundred points). */
export function intervalOf(preset: RangePresetId): "minute" | "hour" | "day" {
  if (preset === "1h") return "minute";
  if (preset === "24h" || preset === "7d") return "hour";
  return "day";
}

/** Saves text as a file download in the browser. */
export function download(name: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** Refetch interval of the live counters (ms). */
export const LIVE_REFETCH_MS = 5_000;
