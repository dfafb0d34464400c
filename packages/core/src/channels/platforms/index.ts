import type { PlatformAdapter, PlatformType } from "../platform-adapter";
import { messengerAdapter } from "./messenger/adapter";
import { slackAdapter } from "./slack";
import { teamsAdapter } from "./teams/adapter";
import { telegramAdapter } from "./telegram";
import { whatsappAdapter } from "./whatsapp/adapter";

/**
 * Every platform's adapter, by channel type: the one place the framework (connect, ingest,
 * delivery) finds a platform's protocol. One line per platform.
 */
// biome-ignore lint/suspicious/noExplicitAny: each adapter has its own credentials and settings types
export const platformAdapters: Record<PlatformType, PlatformAdapter<any, any>> = {
  slack: slackAdapter,
  telegram: telegramAdapter,
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
  teams: teamsAdapter,
};

/** The adapter of `type`. */
export function adapterOf(type: PlatformType): PlatformAdapter<unknown, unknown> {
  return platformAdapters[type] as PlatformAdapter<unknown, unknown>;
}

/** Whether a conversation channel is a messaging platform (its replies go out through an adapter). */
export function isPlatformType(channel: string): channel is PlatformType {
  return Object.hasOwn(platformAdapters, channel);
}
