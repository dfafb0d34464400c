-- CreateIndex
CREATE INDEX "conversations_tenant_id_last_activity_at_idx" ON "conversations"("tenant_id", "last_activity_at");

