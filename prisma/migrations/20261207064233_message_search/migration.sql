-- CreateIndex
CREATE INDEX "conversations_tenant_id_bot_id_id_idx" ON "conversations"("tenant_id", "bot_id", "id" DESC);


-- Full-text search over message text (hand-written): the conversations list's `q` filter matches
-- to_tsvector('simple', coalesce(text, '')) against websearch_to_tsquery('simple', q) and must use
-- exactly this expression to use the index. 'simple' keeps words as typed (no stemming, no stop words),
-- so names, order numbers and words in any language are found.
CREATE INDEX "messages_text_search" ON "messages" USING GIN (to_tsvector('simple', coalesce("text", '')));
