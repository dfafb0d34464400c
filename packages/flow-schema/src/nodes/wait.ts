import { z } from "zod";
import { defineNodeSchema } from "./define-node";

/** Units of a wait duration. */
export const durationUnits = ["seconds", "minutes", "hours", "days"] as const;

/** A unit of a wait duration. */
export type DurationUnit = (typeof durationUnits)[number];

const MS_PER_UNIT: Record<DurationUnit, number> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** The longest wait a node can ask for (30 days), in milliseconds. */
export const MAX_WAIT_MS = 30 * MS_PER_UNIT.days;

/** Converts a duration to milliseconds. */
export function durationToMs(duration: { amount: number; unit: DurationUnit }): number {
  return duration.amount * MS_PER_UNIT[duration.unit];
}

/** A duration: an amount of a unit, at most 30 days in total. */
export const durationSchema = z
  .strictObject({
    amount: z.number().int().min(1),
    unit: z.enum(durationUnits),
  })
  .refine((duration) => durationToMs(duration) <= MAX_WAIT_MS, { message: "a wait can last at most 30 days" })
  .meta({ id: "Duration" });

/** A duration: an amount of a unit. */
export type Duration = z.infer<typeof durationSchema>;

/**
 * Data of a `wait` node: pauses the conversation for `duration` (the runtime schedules a timer),
 * then continues through `next`. A user message during the wait is kept for the next waiting node.
 */
export const waitNodeDataSchema = z.strictObject({ duration: durationSchema }).meta({ id: "WaitNodeData" });

/** Data of a `wait` node. */
export type WaitNodeData = z.infer<typeof waitNodeDataSchema>;

/** A `wait` node. */
export const waitNodeSchema = defineNodeSchema("wait", waitNodeDataSchema, "WaitNode");

/** A `wait` node. */
export type WaitNode = z.infer<typeof waitNodeSchema>;
