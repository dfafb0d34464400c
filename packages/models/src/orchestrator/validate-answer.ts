import type { LlmRequest } from "@parley/engine";
import type { ProviderResult } from "../providers/provider";
import { ProviderError } from "../providers/provider-error";

/** Takes the JSON object out of a reply that may wrap it in a Markdown code fence or prose. */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidates = [text.trim(), fenced?.trim(), text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === "object" && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/**
 * Checks a provider's answer the way routing needs: a refusal, an empty answer, or (in extraction
 * mode) anything but a JSON object with the required fields is a failure that moves to the next model.
 * @returns the parsed object in extraction mode
 */
export function validateAnswer(
  provider: string,
  request: LlmRequest,
  result: ProviderResult,
): Record<string, unknown> | undefined {
  if (result.refused) throw new ProviderError("refused", `${provider}: the model refused to answer`);
  if (result.text.trim() === "")
    throw new ProviderError("empty", `${provider}: the model returned an empty answer`);
  if (!request.extract) return undefined;
  const json = parseJsonObject(result.text);
  if (!json) throw new ProviderError("invalid_json", `${provider}: the answer is not a JSON object`);
  const missing = request.extract.fields
    .filter((field) => field.required && (json[field.name] === undefined || json[field.name] === null))
    .map((field) => field.name);
  if (missing.length > 0) {
    throw new ProviderError(
      "invalid_json",
      `${provider}: the JSON answer lacks required field(s) ${missing.join(", ")}`,
    );
  }
  return json;
}
