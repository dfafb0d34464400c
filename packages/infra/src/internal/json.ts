import { InfraError } from "./infra-error";

/**
 * Serializes a value that must survive a trip through Redis or a journal file. Rejects what JSON
 * would silently drop or mangle at the top level (undefined, functions, symbols, BigInt, cycles),
 * so both implementations of an interface fail the same way.
 * @throws InfraError `NOT_JSON` naming `where`.
 */
export function toJson(value: unknown, where: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InfraError("NOT_JSON", `${where} must be JSON-serializable: ${(error as Error).message}`);
  }
  if (text === undefined) {
    throw new InfraError("NOT_JSON", `${where} must be JSON-serializable, got ${typeof value}`);
  }
  return text;
}
