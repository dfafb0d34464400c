import { createHmac, timingSafeEqual } from "node:crypto";
import type { PlatformConnection } from "../../platform-adapter";

/**
 * Links to a platform's media through the runtime (`GET /api/v1/channels/{id}/files/{ref}?sig=`),
 * for platforms whose download URLs hold a credential (Telegram's carry the bot token). A link is
 * a capability: an HMAC-SHA256 of the channel id and the file reference under a per-channel
 * secret, so transcripts (read in the studio, the inbox, over REST, in exports) can show media in
 * an `<img>` without an API key or a session, the credential never leaves the server, and a link
 * dies with the channel or a change of that secret.
 */
export function fileLinkSignature(secret: string, channelId: string, ref: string): string {
  return createHmac("sha256", secret).update(`parley/channel-file\n${channelId}\n${ref}`).digest("base64url");
}

/** The runtime URL that serves file `ref` of `connection`'s channel (next to its webhook URL). */
export function signedFileUrl(
  connection: PlatformConnection<unknown, unknown>,
  ref: string,
  secret: string,
): string {
  const base = connection.webhookUrl.replace(/\/webhook$/, "");
  const sig = fileLinkSignature(secret, connection.channelId, ref);
  return `${base}/files/${encodeURIComponent(ref)}?sig=${sig}`;
}

/** Whether `signature` is the link signature of `ref` (constant time). */
export function fileLinkValid(secret: string, channelId: string, ref: string, signature: string): boolean {
  const expected = Buffer.from(fileLinkSignature(secret, channelId, ref));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
