-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "agent_typing_at" TIMESTAMPTZ(3),
ADD COLUMN     "agent_typing_label" TEXT,
ADD COLUMN     "note_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "visitor_typing_at" TIMESTAMPTZ(3);

