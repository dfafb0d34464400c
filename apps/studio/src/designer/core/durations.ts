/** The units a duration in milliseconds is shown in (the schema stores milliseconds). */
export const msDurationUnits = [
  { unit: "ms", label: "milliseconds", factor: 1 },
  { unit: "s", label: "seconds", factor: 1_000 },
  { unit: "min", label: "minutes", factor: 60_000 },
] as const;

/** A unit of {@link msDurationUnits}. */
export type MsDurationUnit = (typeof msDurationUnits)[number]["unit"];

/**
 * How a number of milliseconds reads best: in the largest unit that divides it exactly (10 000 ms ->
 * 10 s, 90 000 ms -> 90 s, 120 000 ms -> 2 min, 1 500 ms -> 1500 ms).
 */
export function splitMs(ms: number): { amount: number; unit: MsDurationUnit } {
  for (const { unit, factor } of [...msDurationUnits].reverse()) {
    if (ms !== 0 && ms % factor === 0) return { amount: ms / factor, unit };
  }
  return { amount: ms, unit: "ms" };
}

/** Milliseconds of an amount of a unit (rounded to a whole millisecond). */
export function joinMs(amount: number, unit: MsDurationUnit): number {
  const factor = msDurationUnits.find((u) => u.unit === unit)?.factor ?? 1;
  return Math.round(amount * factor);
}
