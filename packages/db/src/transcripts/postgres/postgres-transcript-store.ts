import type { TranscriptEntry } from "@parley/contract";
import type { Database } from "../../client/open-database";
import { Prisma } from "../../generated/prisma/client";
import type { TranscriptStore, TranscriptSummary } from "../transcript-store";
import { isUuid } from "../uuid";
import { type ConversationRow, selectConversations, toSummary } from "./conversation-rows";
import { selectConversationPage } from "./conversation-search";
import { conversationWhere } from "./conversation-where";

/** Messages a transcript page holds when the caller does not say. */
export const DEFAULT_TRANSCRIPT_PAGE = 1_000;

const summaryOf = (row: ConversationRow): TranscriptSummary => ({ ...toSummary(row), botId: row.bot_id });

/**
 * The transcript store over the turn's own tables: reads are today's queries (the list's plans in
 * conversation-search.ts), the turn's commit is the write path. `saveConversation` and
 * `appendMessages` exist for imports and the contract suite: they write the same rows idempotently.
 */
export function createPostgresTranscriptStore(db: Database): TranscriptStore {
  const tenant = (tenantId: string) => db.forTenant(tenantId);
  return {
    kind: "postgres",
    async prepare() {},
    async close() {},
    async saveConversation(tenantId, c) {
      await tenant(tenantId).$executeRaw`
        INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, contact_id, channel, status,
          assigned_user_id, experiment_variant, turn_count, last_seq, started_at, last_activity_at, ended_at,
          csat_score, updated_at)
        VALUES (${c.id}, ${tenantId}, ${c.botId}, ${c.flowId}, ${c.flowVersionId}, ${c.contactId},
          ${c.channel}::channel, ${c.status}::conversation_status, ${c.assignedUserId}, ${c.experimentVariant},
          ${c.turnCount}, ${c.lastSeq}, ${c.startedAt}, ${c.lastActivityAt}, ${c.endedAt}, ${c.csatScore}, now())
        ON CONFLICT (id) DO UPDATE SET flow_version_id = EXCLUDED.flow_version_id, contact_id = EXCLUDED.contact_id,
          status = EXCLUDED.status, assigned_user_id = EXCLUDED.assigned_user_id,
          experiment_variant = EXCLUDED.experiment_variant, turn_count = EXCLUDED.turn_count,
          last_seq = EXCLUDED.last_seq, last_activity_at = EXCLUDED.last_activity_at, ended_at = EXCLUDED.ended_at,
          csat_score = EXCLUDED.csat_score, updated_at = now()
        WHERE conversations.tenant_id = EXCLUDED.tenant_id AND conversations.last_seq <= EXCLUDED.last_seq`;
    },
    async appendMessages(tenantId, messages) {
      if (messages.length === 0) return { inserted: 0 };
      const rows = messages.map((m) => ({
        id: m.id,
        conversation_id: m.conversationId,
        seq: m.seq,
        author: m.author,
        payload: m.payload,
        text: m.text,
        client_message_id: m.clientMessageId,
        created_at: m.createdAt.toISOString(),
      }));
      // ON CONFLICT without a target skips a row that breaks any unique index: the id, the
      // (tenant, conversation, seq) or the (client message id, conversation).
      const inserted = await tenant(tenantId).$executeRaw`
        INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text, client_message_id, created_at)
        SELECT m.id, ${tenantId}, m.conversation_id, m.seq, m.author::message_author, m.payload, m.text,
          m.client_message_id, m.created_at
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS m(id text, conversation_id text, seq int,
          author text, payload jsonb, text text, client_message_id text, created_at timestamptz)
        ON CONFLICT DO NOTHING`;
      return { inserted };
    },
    async storedSeq(tenantId, conversationId) {
      if (!isUuid(conversationId)) return null;
      const row = await tenant(tenantId).conversation.findFirst({
        where: { id: conversationId },
        select: { lastSeq: true },
      });
      return row?.lastSeq ?? null;
    },
    async getConversation(tenantId, conversationId) {
      if (!isUuid(conversationId)) return null;
      const [row] = await selectConversations(
        tenant(tenantId),
        Prisma.sql`c.tenant_id = ${tenantId} AND c.id = ${conversationId}`,
        1,
      );
      return row ? summaryOf(row) : null;
    },
    async readTranscript(tenantId, conversationId, page = {}) {
      const afterSeq = page.afterSeq ?? 0;
      const limit = page.limit ?? DEFAULT_TRANSCRIPT_PAGE;
      if (!isUuid(conversationId)) return { entries: [], nextSeq: null };
      const rows = await tenant(tenantId).message.findMany({
        where: { conversationId, seq: { gt: afterSeq } },
        orderBy: { seq: "asc" },
        take: limit + 1,
        select: { seq: true, author: true, createdAt: true, payload: true },
      });
      const entries = rows.slice(0, limit).map(
        (message): TranscriptEntry => ({
          seq: message.seq,
          author: message.author,
          createdAt: message.createdAt.toISOString(),
          message: message.payload as TranscriptEntry["message"],
        }),
      );
      return { entries, nextSeq: rows.length > limit ? entries.at(-1)!.seq : null };
    },
    async listConversations(tenantId, query) {
      const rows = await selectConversationPage(tenant(tenantId), {
        tenantId,
        system: db.system,
        where: conversationWhere(tenantId, query.botId, query.filters),
        q: query.filters.q,
        cursor: query.cursor,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(summaryOf),
        nextCursor: rows.length > query.limit ? page.at(-1)!.id : null,
      };
    },
    async purgeExpired(tenantId, cutoff) {
      const client = tenant(tenantId);
      return client.$transaction(async (tx) => {
        const messages = await tx.$executeRaw`
          DELETE FROM messages WHERE tenant_id = ${tenantId} AND created_at < ${cutoff}`;
        const ended = await tx.$queryRaw<{ id: string }[]>`
          DELETE FROM conversations WHERE tenant_id = ${tenantId} AND status = 'ended'::conversation_status
            AND last_activity_at < ${cutoff}
          RETURNING id`;
        return { conversations: ended.length, messages };
      });
    },
    async eraseContact(tenantId, contactId) {
      if (!isUuid(contactId)) return { conversations: 0, messages: 0 };
      const client = tenant(tenantId);
      const ids = (await client.conversation.findMany({ where: { contactId }, select: { id: true } })).map(
        (row) => row.id,
      );
      return this.removeConversations(tenantId, ids);
    },
    async removeConversations(tenantId, conversationIds) {
      const ids = conversationIds.filter(isUuid);
      if (ids.length === 0) return { conversations: 0, messages: 0 };
      return tenant(tenantId).$transaction(async (tx) => {
        const messages = await tx.message.deleteMany({ where: { conversationId: { in: ids } } });
        const conversations = await tx.conversation.deleteMany({ where: { id: { in: ids } } });
        return { conversations: conversations.count, messages: messages.count };
      });
    },
  };
}
