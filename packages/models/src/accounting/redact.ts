/** API-key shapes of the supported providers (OpenAI/Anthropic `sk-`, Hugging Face `hf_`, Google `AIza`). */
const KEY_PATTERN = /\b(sk-(?:ant-)?|hf_|AIza)[A-Za-z0-9_-]{6,}/g;

/**
 * Error text with anything shaped like a provider API key replaced, before it goes into call
 * records and analytics (providers echo keys back in some auth errors).
 */
export function redactSecrets(text: string): string {
  return text.replace(KEY_PATTERN, (_match, prefix: string) => `${prefix}[redacted]`);
}
