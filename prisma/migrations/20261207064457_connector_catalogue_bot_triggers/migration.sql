-- AlterTable
ALTER TABLE "bots" ADD COLUMN     "trigger_secret_ciphertext" TEXT;

-- CreateTable
CREATE TABLE "bot_triggers" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "bot_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "channel" "channel" NOT NULL DEFAULT 'api',
    "flow_id" TEXT,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bot_triggers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bot_triggers_bot_id_idx" ON "bot_triggers"("bot_id");

-- CreateIndex
CREATE UNIQUE INDEX "bot_triggers_tenant_id_bot_id_name_key" ON "bot_triggers"("tenant_id", "bot_id", "name");

-- AddForeignKey
ALTER TABLE "bot_triggers" ADD CONSTRAINT "bot_triggers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bot_triggers" ADD CONSTRAINT "bot_triggers_tenant_id_bot_id_fkey" FOREIGN KEY ("tenant_id", "bot_id") REFERENCES "bots"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT parley_secure_tenant_tables();
