import type { OutboundCall, PlatformHttp, SendResult } from "../../platform-adapter";
import { networkFailure, outcomeOf, pick, pickString } from "../shared/http-outcome";

/**
 * Graph error codes that mean "slow down" although the status is 400 (application, user, page and
 * WhatsApp throughput limits: Graph's "Rate limiting" and WhatsApp's error code pages).
 */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056]);

/** Graph's error envelope `{ error: { message, code, error_subcode, error_data: { details } } }` as one line. */
export function describeGraphError(body: unknown): string | undefined {
  const message = pickString(body, "error", "message");
  if (message === undefined) return undefined;
  const code = pickString(body, "error", "code");
  const details = pickString(body, "error", "error_data", "details");
  return `${code ? `(#${code}) ` : ""}${message}${details && details !== message ? ` (${details})` : ""}`;
}

/**
 * POSTs one rendered call to the Graph API with the channel's token as a Bearer header (never in the
 * URL, so it stays out of proxy logs), and reports the answer as a {@link SendResult}.
 */
export async function sendGraphCall(
  call: OutboundCall,
  payload: unknown,
  options: { apiUrl: string; accessToken: string; http: PlatformHttp; platform: string },
): Promise<SendResult> {
  let response: Response;
  try {
    response = await options.http(new URL(call.url, options.apiUrl), {
      method: call.method,
      headers: { authorization: `Bearer ${options.accessToken}`, "content-type": "application/json" },
      ...(call.method === "GET" ? {} : { body: JSON.stringify(payload) }),
    });
  } catch (error) {
    return networkFailure(options.platform, error);
  }
  return outcomeOf(response, {
    platform: options.platform,
    describeError: describeGraphError,
    isRateLimited: (body) => RATE_LIMIT_CODES.has(Number(pick(body, "error", "code"))),
    messageIdOf: (body) => pickString(body, "messages", "0", "id") ?? pickString(body, "message_id"),
  });
}
