import type { LlmCallOptions, LlmRequest } from "@parley/engine";
import type { ResponseCache } from "../cache/response-cache";
import type { CallAccount } from "./call-account";
import type { OrchestratedResponse } from "./orchestrator";

/**
 * A cached answer to the same request on the same route, as the call's response (the call is
 * finished as a cache hit; a streaming caller gets the whole text as one token), or undefined (internal).
 */
export async function cachedResponse(
  cache: ResponseCache | undefined,
  cacheKey: string | undefined,
  request: LlmRequest,
  options: LlmCallOptions,
  account: CallAccount,
): Promise<OrchestratedResponse | undefined> {
  if (!cacheKey || !cache) return undefined;
  const hit = await cache.get(cacheKey);
  if (!hit) return undefined;
  options.signal.throwIfAborted();
  if (options.onToken && !request.extract) options.onToken(hit.text);
  Object.assign(account.record, {
    provider: hit.provider,
    providerKind: hit.providerKind,
    model: hit.model,
    inputTokens: hit.usage.inputTokens,
    outputTokens: hit.usage.outputTokens,
    cacheHit: true,
    fallbackPosition: 0,
  });
  await account.finish("ok");
  return {
    text: hit.text,
    ...(hit.json ? { json: hit.json } : {}),
    model: `${hit.provider}/${hit.model}`,
    usage: hit.usage,
    record: account.record,
  };
}
