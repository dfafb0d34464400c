/** Keys whose values are secrets: never shown, even if a writer forgot to drop them. */
const SECRET_KEY = /(secret|password|token|apikey|api_key|^key$|keyhash|credential)/i;

/**
 * Replaces secret-looking values with "[redacted]", recursively (defence in depth for audit reads).
 * @example redactSecrets({ name: "k", keyHash: "abc" }) // { name: "k", keyHash: "[redacted]" }
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(inner),
      ]),
    );
  }
  return value;
}
