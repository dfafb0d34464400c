import { createHmac, timingSafeEqual } from "node:crypto";
import type { InboundRequest, VerifyResult } from "../../platform-adapter";

/**
 * `X-Hub-Signature-256` as Meta computes it: `sha256=` + hex HMAC-SHA256 of the exact request bytes
 * with the app secret as key (Meta's "Validating payloads" section of the Webhooks docs).
 */
export function metaSignature(rawBody: Buffer, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/**
 * Verifies a Meta webhook delivery on its raw bytes, comparing in constant time. `GET` requests are
 * subscription handshakes (unsigned by Meta): they pass here and the handshake checks the verify token.
 */
export function verifyMetaRequest(request: InboundRequest, appSecret: string): VerifyResult {
  if (request.method === "GET") {
    return request.query["hub.mode"] === undefined
      ? {
          ok: false,
          status: 403,
          reason: "a GET to this webhook must be Meta's hub.mode=subscribe verification",
        }
      : { ok: true };
  }
  const header = request.headers["x-hub-signature-256"];
  if (header === undefined || header === "") {
    return { ok: false, status: 401, reason: "the X-Hub-Signature-256 header is missing" };
  }
  const expected = Buffer.from(metaSignature(request.rawBody, appSecret));
  const received = Buffer.from(header.trim().toLowerCase());
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return {
      ok: false,
      status: 401,
      reason: "the X-Hub-Signature-256 header does not match the body signed with the channel's app secret",
    };
  }
  return { ok: true };
}
