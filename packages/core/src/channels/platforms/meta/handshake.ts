import { timingSafeEqual } from "node:crypto";
import type { HandshakeAnswer, InboundRequest } from "../../platform-adapter";

/**
 * Meta's webhook verification: `GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`
 * answers the challenge as text when the token is the channel's verify token, 403 otherwise;
 * `null` for any other request.
 */
export function metaHandshake(request: InboundRequest, verifyToken: string): HandshakeAnswer | null {
  if (request.method !== "GET") return null;
  const mode = request.query["hub.mode"];
  if (mode === undefined) return null;
  const token = request.query["hub.verify_token"] ?? "";
  const challenge = request.query["hub.challenge"] ?? "";
  if (mode !== "subscribe") {
    return { status: 400, body: `hub.mode must be "subscribe", got "${mode}"`, contentType: "text/plain" };
  }
  if (!sameText(token, verifyToken)) {
    return {
      status: 403,
      body: "hub.verify_token does not match the channel's verify token",
      contentType: "text/plain",
    };
  }
  return { status: 200, body: challenge, contentType: "text/plain" };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
