-- AlterTable
ALTER TABLE "bots" ADD COLUMN     "identity_secret_ciphertext" TEXT;

