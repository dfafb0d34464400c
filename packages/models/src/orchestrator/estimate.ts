import type { LlmMessage } from "@parley/engine";
import type { TokenUsage } from "../providers/provider";

/** Rough token count of a text (4 characters a token), for needs and when a provider reports no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Rough token count of a prompt (plus a few tokens of framing per message). */
export function estimatePromptTokens(messages: readonly LlmMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + 4, 0);
}

/** The provider's usage, or an estimate when it reported none. */
export function usageOrEstimate(
  usage: TokenUsage | undefined,
  messages: readonly LlmMessage[],
  answer: string,
): TokenUsage {
  return usage ?? { inputTokens: estimatePromptTokens(messages), outputTokens: estimateTokens(answer) };
}
