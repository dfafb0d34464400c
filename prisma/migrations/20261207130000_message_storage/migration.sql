-- Hand-written: storage per message (issue 19). Runs in one transaction: no BEGIN/COMMIT.
-- client_message_id and author_user_id are NULL on almost every message (only resends carry the first,
-- only agent messages the second), and a NULL costs a B-tree entry like any value: both indexes become
-- partial. Lookups `client_message_id = $1` and the foreign key's `author_user_id = $1` imply IS NOT NULL,
-- so the planner uses them as before; uniqueness of non-NULL client ids per conversation is unchanged.
-- messages (tenant_id, created_at) is dropped: no query reads messages by time, and tenant-wide scans
-- (the tenant's cascade) are served by messages (tenant_id, conversation_id, seq).
DROP INDEX "messages_tenant_id_created_at_idx";
DROP INDEX "messages_client_message_id_conversation_id_key";
CREATE UNIQUE INDEX "messages_client_message_id_key" ON "messages" ("client_message_id", "conversation_id")
  WHERE "client_message_id" IS NOT NULL;
DROP INDEX "messages_author_user_id_idx";
CREATE INDEX "messages_author_user_id" ON "messages" ("author_user_id") WHERE "author_user_id" IS NOT NULL;
