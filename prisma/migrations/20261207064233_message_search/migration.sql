-- CreateIndex
CREATE INDEX "conversations_tenant_id_bot_id_id_idx" ON "conversations"("tenant_id", "bot_id", "id" DESC);


-- Full-text search over message text (hand-written). `search_vector` is computed by Postgres from
-- `text` on every insert ('simple': words as typed, no stemming or stop words, so names, order numbers
-- and any language are found) and indexed with GIN. fastupdate is off so a search never scans a
-- pending list that only VACUUM would flush (autovacuum may be off). The conversations list matches
-- `search_vector @@ websearch_to_tsquery('simple', q)` (see core's conversation-search.ts).
ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector
  GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce("text", ''))) STORED;
CREATE INDEX "messages_text_search" ON "messages" USING GIN ("search_vector") WITH (fastupdate = off);
