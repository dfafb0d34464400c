-- AlterTable
ALTER TABLE "knowledge_documents" ADD COLUMN     "auto_title" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pending_content" BYTEA;

-- CreateIndex
CREATE INDEX "knowledge_documents_status_created_at_idx" ON "knowledge_documents"("status", "created_at");

