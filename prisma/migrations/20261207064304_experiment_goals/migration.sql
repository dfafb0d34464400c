-- AlterTable
ALTER TABLE "experiments" ADD COLUMN     "ab_split_node_id" TEXT,
ADD COLUMN     "goal" JSONB;

