-- CreateTable
CREATE TABLE "inbox_notes" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "author_user_id" TEXT,
    "author_label" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_notes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbox_notes_tenant_id_conversation_id_created_at_idx" ON "inbox_notes"("tenant_id", "conversation_id", "created_at");

-- AddForeignKey
ALTER TABLE "inbox_notes" ADD CONSTRAINT "inbox_notes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_notes" ADD CONSTRAINT "inbox_notes_tenant_id_conversation_id_fkey" FOREIGN KEY ("tenant_id", "conversation_id") REFERENCES "conversations"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


SELECT parley_secure_tenant_tables();
