import type {
  MirrorMark,
  TranscriptConversation,
  TranscriptMessage,
  TranscriptStore,
  TranscriptSummary,
} from "@parley/db";
import { stateOf } from "@parley/db";

/**
 * A transcript archive in memory standing in for MongoDB in the mirror's tests (internal to tests):
 * the writes, marks and reads the mirror and core's readers use, with the store contract's rules
 * (idempotent appends, the newest row wins). Lists ignore filters other than the bot.
 */
export function memoryTranscripts(): TranscriptStore & {
  rows: Map<string, TranscriptConversation>;
  messages: Map<string, TranscriptMessage[]>;
} {
  const rows = new Map<string, TranscriptConversation>();
  const messages = new Map<string, TranscriptMessage[]>();
  const marks = new Map<string, MirrorMark>();
  const tenantOf = new Map<string, string>();
  const key = (tenantId: string, id: string) => `${tenantId}/${id}`;
  const summary = (row: TranscriptConversation): TranscriptSummary => ({
    conversationId: row.id,
    botId: row.botId,
    status: row.status,
    state: stateOf(row.status, row.assignedUserId),
    channel: row.channel,
    flowVersionId: row.flowVersionId,
    flowVersion: row.flowVersion,
    experimentVariant: row.experimentVariant,
    contactId: row.contactId,
    contactName: row.contactName,
    turnCount: row.turnCount,
    startedAt: row.startedAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    csatScore: row.csatScore,
  });
  const remove = (tenantId: string, ids: readonly string[]) => {
    let conversations = 0;
    let removed = 0;
    for (const id of ids) {
      if (rows.delete(key(tenantId, id))) conversations += 1;
      removed += messages.get(key(tenantId, id))?.length ?? 0;
      messages.delete(key(tenantId, id));
    }
    return { conversations, messages: removed };
  };
  return {
    kind: "mongodb",
    rows,
    messages,
    async prepare() {},
    async close() {},
    async saveConversation(tenantId, conversation) {
      const stored = rows.get(key(tenantId, conversation.id));
      if (stored && stored.lastSeq > conversation.lastSeq) return;
      rows.set(key(tenantId, conversation.id), conversation);
      tenantOf.set(conversation.id, tenantId);
    },
    async appendMessages(tenantId, batch) {
      let inserted = 0;
      for (const message of batch) {
        const list = messages.get(key(tenantId, message.conversationId)) ?? [];
        const dup = list.some(
          (m) =>
            m.id === message.id ||
            m.seq === message.seq ||
            (message.clientMessageId !== null && m.clientMessageId === message.clientMessageId),
        );
        if (dup) continue;
        list.push(message);
        list.sort((a, b) => a.seq - b.seq);
        messages.set(key(tenantId, message.conversationId), list);
        inserted += 1;
      }
      return { inserted };
    },
    async storedSeq(tenantId, conversationId) {
      return rows.get(key(tenantId, conversationId))?.lastSeq ?? null;
    },
    async getConversation(tenantId, conversationId) {
      const row = rows.get(key(tenantId, conversationId));
      return row ? summary(row) : null;
    },
    async readTranscript(tenantId, conversationId, page = {}) {
      const list = (messages.get(key(tenantId, conversationId)) ?? []).filter(
        (m) => m.seq > (page.afterSeq ?? 0),
      );
      return {
        entries: list.map((m) => ({
          seq: m.seq,
          author: m.author,
          createdAt: m.createdAt.toISOString(),
          message: m.payload as never,
        })),
        nextSeq: null,
      };
    },
    async listConversations(tenantId, query) {
      const items = [...rows.entries()]
        .filter(([k, row]) => k.startsWith(`${tenantId}/`) && row.botId === query.botId)
        .map(([, row]) => row)
        .filter((row) => !query.cursor || row.id < query.cursor)
        .sort((a, b) => (a.id < b.id ? 1 : -1));
      const page = items.slice(0, query.limit);
      return { items: page.map(summary), nextCursor: items.length > query.limit ? page.at(-1)!.id : null };
    },
    async purgeExpired() {
      throw new Error("not used by the mirror's tests");
    },
    async eraseContact(tenantId, contactId) {
      const ids = [...rows.entries()]
        .filter(([k, row]) => k.startsWith(`${tenantId}/`) && row.contactId === contactId)
        .map(([, row]) => row.id);
      return remove(tenantId, ids);
    },
    async removeConversations(tenantId, ids) {
      return remove(tenantId, ids);
    },
    mirror: {
      async mark(tenantId) {
        return marks.get(tenantId) ?? null;
      },
      async setMark(tenantId, mark) {
        marks.set(tenantId, mark);
      },
    },
  };
}
