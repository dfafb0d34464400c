-- AlterTable
ALTER TABLE "bots" ADD COLUMN     "last_refused_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_refused_origin" TEXT;

