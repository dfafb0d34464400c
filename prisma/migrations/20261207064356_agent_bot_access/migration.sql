-- AlterTable
ALTER TABLE "memberships" ADD COLUMN     "agent_bot_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

