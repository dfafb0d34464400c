-- AlterEnum
ALTER TYPE "member_role" ADD VALUE 'agent';

-- AlterEnum
ALTER TYPE "channel" ADD VALUE 'telegram';

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "assigned_at" TIMESTAMPTZ(3),
ADD COLUMN     "assigned_user_id" TEXT,
ADD COLUMN     "csat_at" TIMESTAMPTZ(3),
ADD COLUMN     "csat_comment" TEXT,
ADD COLUMN     "csat_score" SMALLINT,
ADD COLUMN     "handoff_priority" TEXT,
ADD COLUMN     "handoff_queue" TEXT,
ADD COLUMN     "handoff_reason" TEXT;

-- CreateIndex
CREATE INDEX "conversations_tenant_id_assigned_user_id_status_idx" ON "conversations"("tenant_id", "assigned_user_id", "status");

