-- DropIndex
DROP INDEX "messages_conversation_id_seq_key";

-- DropIndex
DROP INDEX "messages_conversation_id_client_message_id_key";

-- CreateIndex
CREATE UNIQUE INDEX "messages_tenant_id_conversation_id_seq_key" ON "messages"("tenant_id", "conversation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "messages_client_message_id_conversation_id_key" ON "messages"("client_message_id", "conversation_id");

