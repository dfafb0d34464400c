-- Turn cost (issues 18, 19): no foreign key on tenant_id alone for conversations and messages. Each one
-- made every message and every new conversation check the tenant row with SELECT ... FOR KEY SHARE: a
-- row lock (a MultiXact once two turns hold it, which is always at load) on the one row every turn of
-- the tenant shares, for nothing: a message's (tenant_id, conversation_id) key references the
-- conversation, a conversation's (tenant_id, bot_id) key references the bot, and both of those
-- reference the tenant. Deleting a tenant still deletes them (tenant -> bots -> conversations ->
-- messages, all ON DELETE CASCADE), and no row can name a tenant that does not exist.
-- DropForeignKey
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_tenant_id_fkey";

-- DropForeignKey
ALTER TABLE "messages" DROP CONSTRAINT "messages_tenant_id_fkey";

