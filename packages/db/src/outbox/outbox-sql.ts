import type { NewOutboxEvent } from "../conversations/turn-commit-sql";
import { type SqlText, sql } from "../sql/sql-text";

/**
 * The statement appending `events` to the outbox for `tenantId`, for writers outside the turn commit
 * (run it in the same tenant batch as what the events report). ONE statement for all of them, ids in
 * array order. Per-conversation order holds when the batch locked the conversation row first.
 */
export function outboxInsertStatement(tenantId: string, events: readonly NewOutboxEvent[]): SqlText {
  const rows = events.map((event) => ({
    topic: event.topic,
    key: event.key ?? null,
    payload: event.payload,
  }));
  return sql`INSERT INTO outbox (event_id, topic, tenant_id, key, payload)
    SELECT (o.value->'payload'->>'id')::uuid, o.value->>'topic', ${tenantId},
      COALESCE(o.value->>'key', o.value->'payload'->>'conversationId', ${tenantId}), o.value->'payload'
    FROM jsonb_array_elements(${rows}) WITH ORDINALITY AS o(value, n)
    ORDER BY o.n`;
}
