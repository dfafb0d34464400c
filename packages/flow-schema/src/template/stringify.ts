/**
 * Turns a variable value into text for a template, never throwing:
 * - `undefined`, `null`, functions, symbols, non-finite numbers and invalid dates: `""`;
 * - strings as is; finite numbers, booleans and bigints with `String`; dates as ISO 8601;
 * - lists of scalars joined with `", "`;
 * - other lists and objects as JSON (cycles become `"[Circular]"`, bigints strings).
 */
export function stringifyTemplateValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return Number.isFinite(value) ? String(value) : "";
    case "boolean":
    case "bigint":
      return String(value);
    case "object":
      if (value === null) return "";
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
      if (Array.isArray(value) && value.every(isScalar)) {
        return value.map(stringifyTemplateValue).join(", ");
      }
      return safeJson(value);
    default:
      return "";
  }
}

function isScalar(value: unknown): boolean {
  return (
    value === null || value instanceof Date || (typeof value !== "object" && typeof value !== "function")
  );
}

function safeJson(value: object): string {
  const ancestors: object[] = [];
  try {
    return JSON.stringify(value, function (this: unknown, _key, current: unknown) {
      if (typeof current === "bigint") return current.toString();
      if (typeof current !== "object" || current === null) return current;
      // `this` is the holder: drop ancestors that are no longer on the path to `current`.
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(current)) return "[Circular]";
      ancestors.push(current);
      return current;
    });
  } catch {
    return "";
  }
}
