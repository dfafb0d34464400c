import type { VariableType } from "./variables";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** True when `value` is an ISO 8601 date (`2025-01-31`) or timestamp that denotes a real time. */
export function isIsoDateString(value: unknown): value is string {
  return typeof value === "string" && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * True when a JSON value fits a variable type: `string`, `number` (finite), `boolean`, `date`
 * (an ISO 8601 string), `list` (an array), `object` (a non-array object). `null` fits no type:
 * leave a variable unset instead.
 */
export function valueMatchesType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return isIsoDateString(value);
    case "list":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

/** Describes a value's JSON type for messages (`string`, `number`, `null`, `list`, `object`...). */
export function describeValueType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value;
}
