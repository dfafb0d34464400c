-- AlterTable
ALTER TABLE "channel_configs" ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "last_error_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_inbound_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_outbound_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "channel_inbound_events" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "channel_config_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "thread_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "conversation_id" TEXT,
    "error" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "channel_inbound_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_deliveries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "channel_config_id" TEXT NOT NULL,
    "conversation_id" TEXT,
    "message_id" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "calls_sent" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "platform_message_id" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "channel_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "channel_inbound_events_channel_config_id_thread_id_status_r_idx" ON "channel_inbound_events"("channel_config_id", "thread_id", "status", "received_at");

-- CreateIndex
CREATE INDEX "channel_inbound_events_conversation_id_received_at_idx" ON "channel_inbound_events"("conversation_id", "received_at");

-- CreateIndex
CREATE INDEX "channel_inbound_events_tenant_id_idx" ON "channel_inbound_events"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_inbound_events_channel_config_id_event_id_key" ON "channel_inbound_events"("channel_config_id", "event_id");

-- CreateIndex
CREATE INDEX "channel_deliveries_conversation_id_seq_idx" ON "channel_deliveries"("conversation_id", "seq");

-- CreateIndex
CREATE INDEX "channel_deliveries_channel_config_id_created_at_idx" ON "channel_deliveries"("channel_config_id", "created_at");

-- CreateIndex
CREATE INDEX "channel_deliveries_tenant_id_idx" ON "channel_deliveries"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_deliveries_conversation_id_message_id_key" ON "channel_deliveries"("conversation_id", "message_id");

-- AddForeignKey
ALTER TABLE "channel_inbound_events" ADD CONSTRAINT "channel_inbound_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_inbound_events" ADD CONSTRAINT "channel_inbound_events_channel_config_id_fkey" FOREIGN KEY ("channel_config_id") REFERENCES "channel_configs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_deliveries" ADD CONSTRAINT "channel_deliveries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_deliveries" ADD CONSTRAINT "channel_deliveries_channel_config_id_fkey" FOREIGN KEY ("channel_config_id") REFERENCES "channel_configs"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: processes cache channels (decrypted credentials, enabled) for webhooks and deliveries, so
-- changing or deleting one moves the configuration revision (not the live status columns, set per message).
CREATE TRIGGER channel_configs_config_revision
  AFTER UPDATE OF tenant_id, bot_id, channel, enabled, config, credentials_ciphertext OR DELETE ON channel_configs
  FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_config_revision();

SELECT parley_secure_tenant_tables();
