import type { TranscriptEntry } from "@parley/contract";
import {
  type Collection,
  type Db,
  type Filter,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
} from "mongodb";
import { TenantScopeError } from "../../errors";
import type { ContactDirectory } from "../contact-directory";
import type { TranscriptStore, TranscriptSummary } from "../transcript-store";
import {
  CONVERSATIONS,
  type ConversationDocument,
  conversationDocument,
  MESSAGES,
  type MessageDocument,
  MIRROR_MARKS,
  type MirrorMarkDocument,
  messageDocument,
} from "./mongo-documents";
import { CONVERSATION_INDEXES, MESSAGE_INDEXES } from "./mongo-indexes";
import { conversationFilter, textSearchOf } from "./mongo-queries";

/** Messages a transcript page holds when the caller does not say. */
const DEFAULT_PAGE = 1_000;
/** Conversation ids of search hits checked against the list filters per query. */
const SEARCH_BATCH = 500;
const DUPLICATE_KEY = 11000;

/** Options of {@link createMongoTranscriptStore}. */
export interface MongoTranscriptStoreOptions {
  /** The database holding `conversations` and `messages`. */
  db: Db;
  /** Contacts (in Postgres): the `contact` filter's ids and current names. */
  contacts: ContactDirectory;
  /** Closes what the store owns (the client), when it owns it. */
  onClose?: () => Promise<void>;
}

/** The database name in a `mongodb://` / `mongodb+srv://` URL's path, else `parley`. */
export function databaseNameOf(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]+)/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : "parley";
}

/**
 * Connects to `url` (the official driver; `retryWrites` and the URL's options apply) and returns
 * the MongoDB transcript store over its database. Call `prepare()` once to create the indexes.
 */
export async function openMongoTranscriptStore(options: {
  url: string;
  contacts: ContactDirectory;
  /** Client options (tests shorten timeouts). */
  client?: ConstructorParameters<typeof MongoClient>[1];
}): Promise<TranscriptStore> {
  const client = new MongoClient(options.url, { appName: "parley", ...options.client });
  await client.connect();
  return createMongoTranscriptStore({
    db: client.db(databaseNameOf(options.url)),
    contacts: options.contacts,
    onClose: () => client.close(),
  });
}

function assertTenant(tenantId: string): void {
  if (typeof tenantId !== "string" || tenantId.trim() === "") {
    throw new TenantScopeError("transcript store: a tenant id is required");
  }
}

const iso = (value: Date): string => value.toISOString();

function summaryOf(doc: ConversationDocument, names: Map<string, string | null>): TranscriptSummary {
  return {
    conversationId: doc._id,
    botId: doc.botId,
    status: doc.status,
    state: doc.state,
    channel: doc.channel,
    flowVersionId: doc.flowVersionId,
    flowVersion: doc.flowVersion,
    experimentVariant: doc.experimentVariant,
    contactId: doc.contactId,
    contactName: doc.contactId && names.has(doc.contactId) ? names.get(doc.contactId)! : doc.contactName,
    turnCount: doc.turnCount,
    startedAt: iso(doc.startedAt),
    lastActivityAt: iso(doc.lastActivityAt),
    endedAt: doc.endedAt ? iso(doc.endedAt) : null,
    csatScore: doc.csatScore,
  };
}

/** Whether `error` is only duplicate-key errors (a lost upsert race or a newer copy stored). */
function onlyDuplicates(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return errors.every((writeError) => writeError.code === DUPLICATE_KEY);
  }
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * The transcript store over MongoDB: `conversations` (one document per conversation, the list row)
 * and `messages` (one per message), see mongo-documents.ts and docs/mongodb.md. Writes are
 * idempotent upserts, so the at-least-once mirror may replay them.
 */
export function createMongoTranscriptStore(options: MongoTranscriptStoreOptions): TranscriptStore {
  const conversations: Collection<ConversationDocument> = options.db.collection(CONVERSATIONS);
  const messages: Collection<MessageDocument> = options.db.collection(MESSAGES);
  const marks: Collection<MirrorMarkDocument> = options.db.collection(MIRROR_MARKS);
  const { contacts } = options;

  const namesOf = (tenantId: string, docs: readonly ConversationDocument[]) => {
    const ids = docs.map((doc) => doc.contactId).filter((id): id is string => id !== null);
    return ids.length > 0 ? contacts.names(tenantId, ids) : Promise.resolve(new Map<string, string | null>());
  };

  /** Conversations matching `filter` with a message matching `search`, newest first, at most `limit`. */
  async function searchConversations(
    tenantId: string,
    filter: Filter<ConversationDocument>,
    search: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<ConversationDocument[]> {
    const hits = messages.aggregate<{ _id: string }>(
      [
        { $match: { tenantId, $text: { $search: search } } },
        { $group: { _id: "$conversationId" } },
        ...(cursor ? [{ $match: { _id: { $lt: cursor } } }] : []),
        { $sort: { _id: -1 } },
      ],
      { allowDiskUse: true, batchSize: SEARCH_BATCH },
    );
    const found: ConversationDocument[] = [];
    try {
      let batch: string[] = [];
      const flush = async () => {
        const page = await conversations
          .find({ $and: [filter, { _id: { $in: batch } }] })
          .sort({ _id: -1 })
          .limit(limit - found.length)
          .toArray();
        found.push(...page);
        batch = [];
      };
      for await (const hit of hits) {
        batch.push(hit._id);
        if (batch.length === SEARCH_BATCH) await flush();
        if (found.length >= limit) return found;
      }
      if (batch.length > 0) await flush();
      return found;
    } finally {
      await hits.close();
    }
  }

  return {
    kind: "mongodb",
    async prepare() {
      await conversations.createIndexes(CONVERSATION_INDEXES);
      await messages.createIndexes(MESSAGE_INDEXES);
    },
    async close() {
      await options.onClose?.();
    },
    async saveConversation(tenantId, conversation, retention = {}) {
      assertTenant(tenantId);
      const { _id, ...fields } = conversationDocument(tenantId, conversation, retention.retentionDays);
      try {
        // A stored copy with a higher lastSeq does not match: the upsert then collides on _id.
        await conversations.updateOne(
          { _id, tenantId, lastSeq: { $lte: conversation.lastSeq } },
          { $set: fields },
          { upsert: true },
        );
      } catch (error) {
        if (!onlyDuplicates(error)) throw error;
      }
    },
    async appendMessages(tenantId, batch, retention = {}) {
      assertTenant(tenantId);
      if (batch.length === 0) return { inserted: 0 };
      // A message id or a sender's id the conversation already has: skipped (the _id makes the seq
      // unique; ids are checked here, through the (tenant, conversation, ...) indexes).
      const conversationIds = [...new Set(batch.map((message) => message.conversationId))];
      const clientIds = batch.flatMap((message) =>
        message.clientMessageId ? [message.clientMessageId] : [],
      );
      const existing = await messages
        .find(
          {
            tenantId,
            conversationId: { $in: conversationIds },
            $or: [
              { messageId: { $in: batch.map((message) => message.id) } },
              ...(clientIds.length > 0 ? [{ clientMessageId: { $in: clientIds } }] : []),
            ],
          },
          { projection: { conversationId: 1, messageId: 1, clientMessageId: 1 } },
        )
        .toArray();
      const seen = new Set<string>();
      for (const doc of existing) {
        seen.add(`id\u0000${doc.messageId}`);
        if (doc.clientMessageId) seen.add(`client\u0000${doc.conversationId}\u0000${doc.clientMessageId}`);
      }
      const fresh = batch.filter((message) => {
        const keys = [`id\u0000${message.id}`];
        if (message.clientMessageId)
          keys.push(`client\u0000${message.conversationId}\u0000${message.clientMessageId}`);
        if (keys.some((key) => seen.has(key))) return false;
        for (const key of keys) seen.add(key);
        return true;
      });
      if (fresh.length === 0) return { inserted: 0 };
      const operations = fresh.map((message) => {
        const { _id, ...fields } = messageDocument(tenantId, message, retention.retentionDays);
        return {
          updateOne: {
            filter: { _id, tenantId, conversationId: message.conversationId },
            update: { $setOnInsert: fields },
            upsert: true,
          },
        };
      });
      try {
        const result = await messages.bulkWrite(operations, { ordered: false });
        return { inserted: result.upsertedCount };
      } catch (error) {
        if (error instanceof MongoBulkWriteError && onlyDuplicates(error)) {
          return { inserted: error.result.upsertedCount };
        }
        throw error;
      }
    },
    async storedSeq(tenantId, conversationId) {
      assertTenant(tenantId);
      const doc = await conversations.findOne(
        { _id: conversationId, tenantId },
        { projection: { lastSeq: 1 } },
      );
      return doc ? doc.lastSeq : null;
    },
    mirror: {
      async mark(tenantId) {
        assertTenant(tenantId);
        const doc = await marks.findOne({ _id: tenantId });
        return doc ? { updatedAt: doc.updatedAt, conversationId: doc.conversationId } : null;
      },
      async setMark(tenantId, mark) {
        assertTenant(tenantId);
        await marks.updateOne(
          { _id: tenantId },
          { $set: { updatedAt: mark.updatedAt, conversationId: mark.conversationId } },
          { upsert: true },
        );
      },
    },
    async getConversation(tenantId, conversationId) {
      assertTenant(tenantId);
      const doc = await conversations.findOne({ _id: conversationId, tenantId });
      if (!doc) return null;
      return summaryOf(doc, await namesOf(tenantId, [doc]));
    },
    async readTranscript(tenantId, conversationId, page = {}) {
      assertTenant(tenantId);
      const limit = page.limit ?? DEFAULT_PAGE;
      const docs = await messages
        .find({ tenantId, conversationId, seq: { $gt: page.afterSeq ?? 0 } })
        .sort({ seq: 1 })
        .limit(limit + 1)
        .toArray();
      const entries = docs.slice(0, limit).map(
        (doc): TranscriptEntry => ({
          seq: doc.seq,
          author: doc.author,
          createdAt: iso(doc.createdAt),
          message: doc.payload as TranscriptEntry["message"],
        }),
      );
      return { entries, nextSeq: docs.length > limit ? entries.at(-1)!.seq : null };
    },
    async listConversations(tenantId, query) {
      assertTenant(tenantId);
      const contactIds =
        query.filters.contact !== undefined
          ? await contacts.matching(tenantId, query.filters.contact)
          : undefined;
      const filter = conversationFilter(tenantId, query, contactIds);
      const want = query.limit + 1;
      const q = query.filters.q;
      const search = q ? textSearchOf(q) : null;
      const docs = !q
        ? await conversations.find(filter).sort({ _id: -1 }).limit(want).toArray()
        : search
          ? await searchConversations(tenantId, filter, search, query.cursor, want)
          : [];
      const page = docs.slice(0, query.limit);
      const names = await namesOf(tenantId, page);
      return {
        items: page.map((doc) => summaryOf(doc, names)),
        nextCursor: docs.length > query.limit ? page.at(-1)!._id : null,
      };
    },
    async purgeExpired(tenantId, cutoff) {
      assertTenant(tenantId);
      const removedMessages = await messages.deleteMany({ tenantId, createdAt: { $lt: cutoff } });
      const removedConversations = await conversations.deleteMany({
        tenantId,
        status: "ended",
        lastActivityAt: { $lt: cutoff },
      });
      return { conversations: removedConversations.deletedCount, messages: removedMessages.deletedCount };
    },
    async eraseContact(tenantId, contactId) {
      assertTenant(tenantId);
      const ids = await conversations.distinct("_id", { tenantId, contactId });
      return this.removeConversations(tenantId, ids);
    },
    async removeConversations(tenantId, conversationIds) {
      assertTenant(tenantId);
      if (conversationIds.length === 0) return { conversations: 0, messages: 0 };
      const ids = [...conversationIds];
      const removedMessages = await messages.deleteMany({ tenantId, conversationId: { $in: ids } });
      const removedConversations = await conversations.deleteMany({ tenantId, _id: { $in: ids } });
      return { conversations: removedConversations.deletedCount, messages: removedMessages.deletedCount };
    },
  };
}
