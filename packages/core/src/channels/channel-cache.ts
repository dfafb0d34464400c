import type { ChannelConfig } from "@parley/db";
import type { CoreDeps } from "../context";
import { configCache } from "../internal/config-cache";
import { isUuid } from "../internal/ids";
import { connectionOf } from "./channel-connection";
import type { PlatformAdapter, PlatformConnection, PlatformType } from "./platform-adapter";
import { adapterOf } from "./platforms";

/** A channel as webhooks and deliveries use it: its row, its adapter and its decrypted connection. */
export interface LiveChannel {
  row: Pick<ChannelConfig, "id" | "tenantId" | "botId" | "channel" | "enabled">;
  type: PlatformType;
  adapter: PlatformAdapter<unknown, unknown>;
  connection: PlatformConnection<unknown, unknown>;
}

/**
 * The channel `channelId` of any tenant (webhooks name only the channel), kept in process memory
 * and dropped when any configuration changes (see configCache), so credentials are decrypted once
 * and not per request; null when there is none (internal).
 */
export async function liveChannel(deps: CoreDeps, channelId: string): Promise<LiveChannel | null> {
  if (!isUuid(channelId)) return null;
  const cache = configCache<LiveChannel | null>(deps, "channels", { ttlMs: 60_000, maxEntries: 10_000 });
  return cache.get(channelId, async () => {
    const row = await deps.db.system.channelConfig.findUnique({ where: { id: channelId } });
    if (!row) return null;
    const type = row.channel as PlatformType;
    return {
      row: {
        id: row.id,
        tenantId: row.tenantId,
        botId: row.botId,
        channel: row.channel,
        enabled: row.enabled,
      },
      type,
      adapter: adapterOf(type),
      connection: connectionOf(deps, row),
    };
  });
}
