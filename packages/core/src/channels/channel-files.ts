import type { CoreDeps } from "../context";
import { liveChannel } from "./channel-cache";
import { platformHttp } from "./channel-connection";
import type { PlatformFile } from "./platform-adapter";

/**
 * A file of channel `channelId` behind a signed media link (an inbound Telegram photo, document,
 * voice note...): the adapter checks the link's signature and downloads the file with the
 * channel's credentials through the guarded client, so the platform URL holding the credential is
 * never stored nor shown. Unknown channels, platforms without such links and bad signatures all
 * answer `not_found` alike.
 */
export async function fetchChannelFile(
  deps: CoreDeps,
  channelId: string,
  ref: string,
  signature: string,
): Promise<PlatformFile> {
  const channel = await liveChannel(deps, channelId);
  if (!channel?.adapter.fetchFile) return { ok: false, reason: "not_found", error: "no such file" };
  return channel.adapter.fetchFile(ref, signature, channel.connection, platformHttp(deps));
}
