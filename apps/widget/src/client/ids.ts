/** A unique id for a user message; resending with the same id makes the server process it once. */
export function newClientMessageId(): string {
  const cryptoApi = globalThis.crypto;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  const bytes = new Uint8Array(16);
  cryptoApi.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A random id for this browser's anonymous visitor (see ConversationStore.visitorId). */
export const newVisitorId = newClientMessageId;
