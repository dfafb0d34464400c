import Anthropic from "@anthropic-ai/sdk";
import type { GuardedFetch } from "@parley/infra";
import type { ModelProvider, ProviderCall, ProviderCallOptions, ProviderResult } from "./provider";
import { abortedError, guardError } from "./provider-error";
import { fromStainlessError } from "./sdk-errors";

/** Options of {@link createAnthropicProvider}. */
export interface AnthropicProviderOptions {
  name: string;
  apiKey?: string;
  baseUrl?: string;
  headers?: Record<string, string>;
  /**
   * The fetch the SDK sends with: the platform's guarded (SSRF-checked) fetch for endpoints a tenant
   * configured; absent, the SDK's own (operator-configured endpoints).
   */
  fetch?: GuardedFetch;
}

/** Anthropic requires max_tokens; used when the request sets none. */
const DEFAULT_MAX_TOKENS = 1024;

/** Instruction added in JSON mode: the Messages API has no JSON switch. */
const JSON_INSTRUCTION = "Answer with one JSON object only, with no text before or after it.";

/**
 * A provider over the official `@anthropic-ai/sdk` Messages API. System messages become the `system`
 * parameter; consecutive turns of one role are merged (the API wants them alternating).
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const client = new Anthropic({
    apiKey: options.apiKey ?? "missing",
    maxRetries: 0,
    timeout: 10 * 60_000,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    ...(options.headers ? { defaultHeaders: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const name = options.name;
  return {
    name,
    kind: "anthropic",
    async complete(call: ProviderCall, { signal, onToken }: ProviderCallOptions): Promise<ProviderResult> {
      const system = call.messages
        .filter((message) => message.role === "system")
        .map((message) => message.content);
      if (call.json) system.push(JSON_INSTRUCTION);
      const turns: Array<{ role: "user" | "assistant"; content: string }> = [];
      for (const message of call.messages) {
        if (message.role === "system") continue;
        const last = turns.at(-1);
        if (last && last.role === message.role) last.content += `\n\n${message.content}`;
        else turns.push({ role: message.role, content: message.content });
      }
      const body = {
        model: call.model,
        max_tokens: call.maxTokens ?? DEFAULT_MAX_TOKENS,
        messages: turns,
        ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
        ...(call.temperature === undefined ? {} : { temperature: Math.min(call.temperature, 1) }),
      };
      try {
        if (!onToken) {
          const message = await client.messages.create({ ...body, stream: false }, { signal });
          const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
          return {
            text,
            refused: message.stop_reason === "refusal",
            usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
          };
        }
        const stream = await client.messages.create({ ...body, stream: true }, { signal });
        let text = "";
        let inputTokens = 0;
        let outputTokens = 0;
        let refused = false;
        for await (const event of stream) {
          if (event.type === "message_start") {
            inputTokens = event.message.usage.input_tokens;
            outputTokens = event.message.usage.output_tokens;
          } else if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
            text += event.delta.text;
            onToken(event.delta.text);
          } else if (event.type === "message_delta") {
            outputTokens = event.usage.output_tokens;
            if (event.delta.stop_reason === "refusal") refused = true;
          }
        }
        return { text, refused, usage: { inputTokens, outputTokens } };
      } catch (error) {
        throw signal.aborted
          ? abortedError(name, error)
          : (guardError(name, error) ?? fromStainlessError(name, error));
      }
    },
  };
}
