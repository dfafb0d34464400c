import { createHmac, timingSafeEqual } from "node:crypto";
import type { VerifyResult } from "../../platform-adapter";

/** Slack's replay window: requests older (or newer) than five minutes are refused. */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 5 * 60;

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret (Slack's v0 scheme). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest("hex")}`;
}

/**
 * Checks `X-Slack-Signature` over the exact bytes received, with `X-Slack-Request-Timestamp`
 * inside the five-minute window (constant-time comparison).
 */
export function verifySlackRequest(
  headers: Readonly<Record<string, string | undefined>>,
  rawBody: Buffer,
  signingSecret: string,
  nowMs: number,
): VerifyResult {
  const timestamp = headers["x-slack-request-timestamp"];
  const signature = headers["x-slack-signature"];
  if (!timestamp || !signature) {
    return { ok: false, status: 401, reason: "missing X-Slack-Signature or X-Slack-Request-Timestamp" };
  }
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, status: 401, reason: "invalid X-Slack-Request-Timestamp" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_TIMESTAMP_WINDOW_SECONDS) {
    return { ok: false, status: 401, reason: "stale X-Slack-Request-Timestamp (more than 5 minutes off)" };
  }
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, reason: "X-Slack-Signature does not match" };
  }
  return { ok: true };
}
