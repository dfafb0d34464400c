import type { GuardedFetch } from "@parley/infra";
import OpenAI, { AzureOpenAI } from "openai";
import type {
  EmbeddingCall,
  EmbeddingResult,
  ModelProvider,
  ProviderCall,
  ProviderCallOptions,
  ProviderResult,
} from "./provider";
import { abortedError, guardError, ProviderError } from "./provider-error";
import { fromStainlessError } from "./sdk-errors";

/** Options of {@link createOpenAiProvider}. */
export interface OpenAiProviderOptions {
  name: string;
  kind: "openai" | "azure_openai" | "openai_compatible";
  apiKey?: string;
  /** API base URL (OpenAI-compatible servers: vLLM, Ollama, llama.cpp...); Azure: the resource endpoint. */
  baseUrl?: string;
  /** Azure only. */
  azure?: { apiVersion: string; deployment?: string };
  organization?: string;
  headers?: Record<string, string>;
  /**
   * The fetch the SDK sends with: the platform's guarded (SSRF-checked) fetch for endpoints a tenant
   * configured; absent, the SDK's own (operator-configured endpoints).
   */
  fetch?: GuardedFetch;
}

/**
 * A provider over the official `openai` client: OpenAI itself, Azure OpenAI (the client's Azure
 * mode) or any OpenAI-compatible server. The client's own retries are off: the orchestrator retries.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  const common = {
    maxRetries: 0,
    // The orchestrator enforces per-call timeouts through the abort signal.
    timeout: 10 * 60_000,
    ...(options.headers ? { defaultHeaders: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const client =
    options.kind === "azure_openai"
      ? new AzureOpenAI({
          ...common,
          apiKey: options.apiKey ?? "missing",
          apiVersion: options.azure?.apiVersion ?? "2024-10-21",
          ...(options.baseUrl ? { endpoint: options.baseUrl } : {}),
          ...(options.azure?.deployment ? { deployment: options.azure.deployment } : {}),
        })
      : new OpenAI({
          ...common,
          // Local OpenAI-compatible servers often need no key, but the client insists on one.
          apiKey: options.apiKey ?? "not-needed",
          ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
          ...(options.organization ? { organization: options.organization } : {}),
        });
  const name = options.name;

  return {
    name,
    kind: options.kind,
    async complete(call: ProviderCall, { signal, onToken }: ProviderCallOptions): Promise<ProviderResult> {
      const body = {
        model: call.model,
        messages: call.messages,
        ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
        ...(call.maxTokens === undefined ? {} : { max_tokens: call.maxTokens }),
        ...(call.json ? { response_format: { type: "json_object" as const } } : {}),
      };
      try {
        if (!onToken) {
          const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
          const choice = completion.choices[0];
          return {
            text: choice?.message.content ?? "",
            refused: choice?.finish_reason === "content_filter" || Boolean(choice?.message.refusal),
            ...(completion.usage
              ? {
                  usage: {
                    inputTokens: completion.usage.prompt_tokens,
                    outputTokens: completion.usage.completion_tokens,
                  },
                }
              : {}),
          };
        }
        const stream = await client.chat.completions.create(
          { ...body, stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        let text = "";
        let refused = false;
        let usage: ProviderResult["usage"];
        for await (const chunk of stream) {
          if (chunk.usage) {
            usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
          }
          const choice = chunk.choices[0];
          if (!choice) continue;
          if (choice.finish_reason === "content_filter" || choice.delta?.refusal) refused = true;
          const token = choice.delta?.content;
          if (token) {
            text += token;
            onToken(token);
          }
        }
        return { text, refused, ...(usage ? { usage } : {}) };
      } catch (error) {
        throw signal.aborted
          ? abortedError(name, error)
          : (guardError(name, error) ?? fromStainlessError(name, error));
      }
    },
    async embed(call: EmbeddingCall, { signal }: { signal: AbortSignal }): Promise<EmbeddingResult> {
      try {
        const response = await client.embeddings.create(
          {
            model: call.model,
            input: call.texts,
            encoding_format: "float",
            ...(call.dimensions === undefined ? {} : { dimensions: call.dimensions }),
          },
          { signal },
        );
        // The API may return the items in any order; `index` says which input each belongs to.
        const vectors: number[][] = new Array(call.texts.length);
        for (const item of response.data) vectors[item.index] = item.embedding;
        if (vectors.some((vector) => !Array.isArray(vector) || vector.length === 0)) {
          throw new ProviderError("empty", `${name}: the embeddings response is missing vectors`);
        }
        return { vectors, inputTokens: response.usage?.prompt_tokens ?? 0 };
      } catch (error) {
        throw signal.aborted
          ? abortedError(name, error)
          : (guardError(name, error) ?? fromStainlessError(name, error));
      }
    },
  };
}
