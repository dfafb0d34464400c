import type { ProviderKind } from "@parley/contract";
import type { LlmExtractField, LlmMessage } from "@parley/engine";

/** Provider families the orchestrator can talk to (mirrors the database enum; the wire schema is contract's). */
export { type ProviderKind, providerKindSchema } from "@parley/contract";

/** One request to one provider and model, after routing and masking. */
export interface ProviderCall {
  model: string;
  messages: LlmMessage[];
  /** The answer must be one JSON object (the provider's JSON mode is switched on where it has one). */
  json: boolean;
  /** The fields asked for in extraction mode (the offline provider extracts them by pattern). */
  extractFields?: LlmExtractField[];
  temperature?: number;
  maxTokens?: number;
}

/** Token counts reported by the provider. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a provider answered. */
export interface ProviderResult {
  text: string;
  /** Missing when the provider did not report usage; the orchestrator then estimates it. */
  usage?: TokenUsage;
  /** The provider declined (content filter, safety stop, refusal stop reason). */
  refused?: boolean;
}

/** Per-call options of {@link ModelProvider.complete}. */
export interface ProviderCallOptions {
  signal: AbortSignal;
  /** When given, the provider streams and reports each text token as it arrives. */
  onToken?: (token: string) => void;
}

/** One request for embeddings: texts in, one vector per text out (same order). */
export interface EmbeddingCall {
  model: string;
  texts: string[];
  /** Output size, for models that can shorten their vectors (OpenAI `text-embedding-3-*`). */
  dimensions?: number;
}

/** What an embedding call returned. */
export interface EmbeddingResult {
  vectors: number[][];
  /** Tokens read, when the provider reports it. */
  inputTokens?: number;
}

/**
 * One configured provider account (an API key + endpoint) reached through its official client.
 * Implementations reject with a {@link ProviderError} (from ./provider-error) on any failure.
 */
export interface ModelProvider {
  /** Unique name within the tenant (the route targets refer to it), e.g. `openai` or `azure-eu`. */
  readonly name: string;
  readonly kind: ProviderKind;
  complete(call: ProviderCall, options: ProviderCallOptions): Promise<ProviderResult>;
  /** Embeddings, for providers that serve them (the OpenAI family); absent otherwise. */
  embed?(call: EmbeddingCall, options: { signal: AbortSignal }): Promise<EmbeddingResult>;
}
