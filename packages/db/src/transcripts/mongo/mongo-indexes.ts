import type { IndexDescription } from "mongodb";

/**
 * Indexes of `conversations`, created at start (createIndexes is a no-op for existing ones).
 * Every one leads with `tenantId` (each query is scoped by it, and it leads the shard key).
 */
export const CONVERSATION_INDEXES: IndexDescription[] = [
  // The list: a bot's conversations newest first, paged by `_id` (the cursor).
  { key: { tenantId: 1, botId: 1, _id: -1 }, name: "tenant_bot_newest" },
  // The state filter (the Conversations page's tabs), newest first.
  { key: { tenantId: 1, botId: 1, state: 1, _id: -1 }, name: "tenant_bot_state_newest" },
  // A contact's conversations (the contact filter, GDPR erasure).
  { key: { tenantId: 1, contactId: 1, _id: -1 }, name: "tenant_contact_newest" },
  // Retention: the document goes once `expireAt` passes (a null `expireAt` never expires).
  { key: { expireAt: 1 }, name: "retention_ttl", expireAfterSeconds: 0 },
];

/** Indexes of `messages`, created at start. */
export const MESSAGE_INDEXES: IndexDescription[] = [
  // A transcript page in seq order.
  { key: { tenantId: 1, conversationId: 1, seq: 1 }, name: "tenant_conversation_seq" },
  // Supports the shard key, so an existing collection can be sharded as designed.
  { key: { tenantId: 1, conversationId: "hashed" }, name: "shard_key" },
  // Idempotence by the sender's id (checked before an append; not unique: see MessageDocument).
  {
    key: { tenantId: 1, conversationId: 1, clientMessageId: 1 },
    name: "tenant_conversation_client_message",
    partialFilterExpression: { clientMessageId: { $type: "string" } },
  },
  // Full-text search: equality on the tenant, then the words. Language "none": no stemming and no
  // stop words, like Postgres's 'simple' configuration the Postgres store searches with.
  {
    key: { tenantId: 1, text: "text" },
    name: "tenant_text",
    default_language: "none",
    language_override: "textLanguage",
  },
  // Retention purge by creation time.
  { key: { tenantId: 1, createdAt: -1 }, name: "tenant_created" },
  { key: { expireAt: 1 }, name: "retention_ttl", expireAfterSeconds: 0 },
];

/** The shard keys the collections are designed for (see docs/mongodb.md; `sh.shardCollection`). */
export const SHARD_KEYS = {
  conversations: { tenantId: 1, _id: 1 },
  messages: { tenantId: 1, conversationId: "hashed" },
} as const;
