import { createOfflineLlm, OfflineExtractionError } from "@parley/engine";
import type { ModelProvider, ProviderCall, ProviderCallOptions, ProviderResult } from "./provider";
import { ProviderError } from "./provider-error";

/** Model name the offline provider reports. */
export const OFFLINE_MODEL = "offline";

/**
 * The provider that needs no network: the engine's offline model (an honest "offline" reply,
 * pattern-based extraction). It is the last step of the default route, so a demo with no key
 * still answers; token counts are estimated (4 characters a token).
 */
export function createOfflineProvider(options: { name?: string; reply?: string } = {}): ModelProvider {
  const llm = createOfflineLlm(options.reply === undefined ? {} : { reply: options.reply });
  return {
    name: options.name ?? "offline",
    kind: "offline",
    async complete(call: ProviderCall, { signal, onToken }: ProviderCallOptions): Promise<ProviderResult> {
      try {
        const response = await llm.complete(
          {
            route: "offline",
            messages: call.messages,
            ...(call.json && call.extractFields && call.extractFields.length > 0
              ? { extract: { fields: call.extractFields } }
              : {}),
          },
          { signal, ...(onToken ? { onToken } : {}) },
        );
        const input = call.messages.reduce((sum, message) => sum + message.content.length, 0);
        return {
          text: response.text,
          usage: { inputTokens: Math.ceil(input / 4), outputTokens: Math.ceil(response.text.length / 4) },
        };
      } catch (error) {
        if (error instanceof OfflineExtractionError) {
          throw new ProviderError("invalid_json", `offline: ${error.message}`, { cause: error });
        }
        if (signal.aborted) throw new ProviderError("aborted", "offline: request aborted", { cause: error });
        throw error;
      }
    },
  };
}
