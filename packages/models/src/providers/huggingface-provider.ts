import { InferenceClient } from "@huggingface/inference";
import type { GuardedFetch } from "@parley/infra";
import type { ModelProvider, ProviderCall, ProviderCallOptions, ProviderResult } from "./provider";
import { abortedError, failureForStatus, guardError, ProviderError } from "./provider-error";

/** Options of {@link createHuggingFaceProvider}. */
export interface HuggingFaceProviderOptions {
  name: string;
  accessToken?: string;
  /** A dedicated Inference Endpoint or TGI server; without it, the Hugging Face router. */
  endpointUrl?: string;
  /** Inference provider for the router (default "auto"). */
  inferenceProvider?: string;
  /**
   * The fetch the SDK sends with: the platform's guarded (SSRF-checked) fetch for endpoints a tenant
   * configured; absent, the SDK's own (operator-configured endpoints).
   */
  fetch?: GuardedFetch;
}

function toProviderError(provider: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const refused = guardError(provider, error);
  if (refused) return refused;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : "";
  if (/abort/i.test(name) || /aborted/i.test(message)) {
    return new ProviderError("aborted", `${provider}: request aborted`, { cause: error });
  }
  const status = (error as { httpResponse?: { status?: unknown } }).httpResponse?.status;
  if (typeof status === "number") {
    return new ProviderError(failureForStatus(status), `${provider}: HTTP ${status}: ${message}`, {
      status,
      cause: error,
    });
  }
  return new ProviderError("network", `${provider}: ${message}`, { cause: error });
}

/** A provider over the official `@huggingface/inference` client (chat completion, streamed or not). */
export function createHuggingFaceProvider(options: HuggingFaceProviderOptions): ModelProvider {
  const client = new InferenceClient(options.accessToken, {
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const name = options.name;
  return {
    name,
    kind: "huggingface",
    async complete(call: ProviderCall, { signal, onToken }: ProviderCallOptions): Promise<ProviderResult> {
      const args = {
        model: call.model,
        messages: call.messages,
        ...(options.endpointUrl ? {} : { provider: (options.inferenceProvider ?? "auto") as "auto" }),
        ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
        ...(call.maxTokens === undefined ? {} : { max_tokens: call.maxTokens }),
        ...(call.json ? { response_format: { type: "json_object" as const } } : {}),
      };
      // The client's own 503 retry loop is off: the orchestrator retries.
      const callOptions = { signal, retry_on_error: false };
      try {
        if (!onToken) {
          const output = await client.chatCompletion(args, callOptions);
          const choice = output.choices[0];
          return {
            text: choice?.message.content ?? "",
            refused: choice?.finish_reason === "content_filter",
            ...(output.usage
              ? {
                  usage: {
                    inputTokens: output.usage.prompt_tokens,
                    outputTokens: output.usage.completion_tokens,
                  },
                }
              : {}),
          };
        }
        let text = "";
        let refused = false;
        let usage: ProviderResult["usage"];
        for await (const chunk of client.chatCompletionStream(args, callOptions)) {
          if (chunk.usage) {
            usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
          }
          const choice = chunk.choices?.[0];
          if (choice?.finish_reason === "content_filter") refused = true;
          const token = choice?.delta?.content;
          if (token) {
            text += token;
            onToken(token);
          }
        }
        return { text, refused, ...(usage ? { usage } : {}) };
      } catch (error) {
        throw signal.aborted ? abortedError(name, error) : toProviderError(name, error);
      }
    },
  };
}
