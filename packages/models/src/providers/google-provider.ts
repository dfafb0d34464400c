import { type Content, type GenerateContentResponse, GoogleGenAI } from "@google/genai";
import type { GuardedFetch } from "@parley/infra";
import type { ModelProvider, ProviderCall, ProviderCallOptions, ProviderResult } from "./provider";
import { abortedError, failureForStatus, guardError, ProviderError } from "./provider-error";

/** Options of {@link createGoogleProvider}. */
export interface GoogleProviderOptions {
  name: string;
  apiKey?: string;
  /** Base URL of the Gemini API (default: the client's, or GOOGLE_GEMINI_BASE_URL). */
  baseUrl?: string;
  headers?: Record<string, string>;
  /**
   * The fetch the SDK sends with: the platform's guarded (SSRF-checked) fetch for endpoints a tenant
   * configured; absent, the SDK's own (operator-configured endpoints).
   */
  fetch?: GuardedFetch;
}

const REFUSAL_REASONS = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"]);

/**
 * Retry delay from a Gemini error body: Google APIs put a `google.rpc.RetryInfo` detail with
 * `retryDelay: "3s"` in 429 answers (the client gives the body as the error message).
 */
function retryDelayMs(message: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
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
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number") {
    const retryAfterMs = retryDelayMs(message);
    return new ProviderError(failureForStatus(status), `${provider}: HTTP ${status}: ${message}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      cause: error,
    });
  }
  return new ProviderError("network", `${provider}: ${message}`, { cause: error });
}

function usageOf(response: GenerateContentResponse): ProviderResult["usage"] {
  const metadata = response.usageMetadata;
  if (!metadata) return undefined;
  return { inputTokens: metadata.promptTokenCount ?? 0, outputTokens: metadata.candidatesTokenCount ?? 0 };
}

/** A provider over the official `@google/genai` client (Gemini API, `generateContent` and its SSE stream). */
export function createGoogleProvider(options: GoogleProviderOptions): ModelProvider {
  const client = new GoogleGenAI({
    apiKey: options.apiKey ?? "missing",
    ...(options.baseUrl || options.headers || options.fetch
      ? {
          httpOptions: {
            ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
            ...(options.headers ? { headers: options.headers } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          },
        }
      : {}),
  });
  const name = options.name;
  return {
    name,
    kind: "google",
    async complete(call: ProviderCall, { signal, onToken }: ProviderCallOptions): Promise<ProviderResult> {
      const system = call.messages.filter((m) => m.role === "system").map((m) => m.content);
      const contents: Content[] = call.messages
        .filter((m) => m.role !== "system")
        .map((m) => ({ role: m.role === "assistant" ? "model" : "user", parts: [{ text: m.content }] }));
      const request = {
        model: call.model,
        contents,
        config: {
          abortSignal: signal,
          ...(system.length > 0 ? { systemInstruction: system.join("\n\n") } : {}),
          ...(call.json ? { responseMimeType: "application/json" } : {}),
          ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
          ...(call.maxTokens === undefined ? {} : { maxOutputTokens: call.maxTokens }),
        },
      };
      try {
        if (!onToken) {
          const response = await client.models.generateContent(request);
          const reason = response.candidates?.[0]?.finishReason;
          const usage = usageOf(response);
          return {
            text: response.text ?? "",
            refused:
              Boolean(response.promptFeedback?.blockReason) || (reason ? REFUSAL_REASONS.has(reason) : false),
            ...(usage ? { usage } : {}),
          };
        }
        const stream = await client.models.generateContentStream(request);
        let text = "";
        let refused = false;
        let usage: ProviderResult["usage"];
        for await (const chunk of stream) {
          usage = usageOf(chunk) ?? usage;
          const reason = chunk.candidates?.[0]?.finishReason;
          if (chunk.promptFeedback?.blockReason || (reason && REFUSAL_REASONS.has(reason))) refused = true;
          const token = chunk.candidates?.[0]?.content?.parts?.map((part) => part.text ?? "").join("") ?? "";
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
