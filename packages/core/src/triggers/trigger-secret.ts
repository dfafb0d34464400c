import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FireTriggerResponse } from "@parley/contract";
import { secretBinding } from "@parley/infra";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { authorize, type CoreDeps, nowOf, type ServiceContext, tenantDb } from "../context";
import { ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid } from "../internal/ids";
import { fireTrigger } from "./triggers";

/** Prefix of trigger secrets, so a leaked one is recognisable. */
export const TRIGGER_SECRET_PREFIX = "trsec_";
/** The header a signed trigger request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const TRIGGER_SIGNATURE_HEADER = "parley-trigger-signature";
/** How far a signature's time may be from ours (replays older than this are refused). */
export const TRIGGER_SIGNATURE_TOLERANCE_SECONDS = 300;

const bindingOf = (tenantId: string, botId: string) =>
  secretBinding({ tenantId, table: "bots", rowId: botId, field: "trigger_secret" });

function vaultOf(deps: CoreDeps) {
  if (!deps.vault)
    throw new ServiceError("unavailable", "vault-unavailable", "the secrets vault is not configured");
  return deps.vault;
}

/**
 * Generates (or rotates) the bot's trigger secret and returns it this once (stored encrypted).
 * Your server signs trigger requests with it instead of sending a secret key. Needs `bots:write`.
 */
export async function generateTriggerSecret(ctx: ServiceContext, botId: string) {
  authorize(ctx, "bots:write");
  const bot = await loadBot(ctx, botId);
  const secret = `${TRIGGER_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  const ciphertext = vaultOf(ctx.deps).encrypt(secret, bindingOf(ctx.tenantId, botId));
  const rotated = bot.triggerSecretCiphertext !== null;
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.bot.update({ where: { id: botId }, data: { triggerSecretCiphertext: ciphertext } });
    await recordAudit(tx, ctx, {
      action: rotated ? "bot.rotate_trigger_secret" : "bot.generate_trigger_secret",
      targetType: "bot",
      targetId: botId,
    });
  });
  await configChanged(ctx.deps);
  return { botId, secret, rotated, header: TRIGGER_SIGNATURE_HEADER };
}

/** The signature header value for `rawBody` at `timestamp` (seconds): for callers and tests. */
export function signTriggerRequest(secret: string, rawBody: string, timestamp: number): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

const unauthenticated = (message: string) =>
  new ServiceError("unauthenticated", "invalid-trigger-signature", message);

/**
 * Fires a trigger from a request signed with the bot's trigger secret (no API key): verifies
 * `Parley-Trigger-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` over the raw bytes,
 * within five minutes, in constant time, then fires as the system on the bot's tenant.
 */
export async function fireSignedTrigger(
  deps: CoreDeps,
  botId: string,
  name: string,
  rawBody: string,
  signature: string | undefined,
): Promise<FireTriggerResponse> {
  if (!signature)
    throw unauthenticated(
      `send a secret key (Authorization: Bearer sk_...) or a ${TRIGGER_SIGNATURE_HEADER} header`,
    );
  const parts = Object.fromEntries(
    signature.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? "")) {
    throw unauthenticated(
      `the ${TRIGGER_SIGNATURE_HEADER} header must be t=<unix seconds>,v1=<hex HMAC-SHA256>`,
    );
  }
  const now = Math.floor(nowOf(deps).getTime() / 1000);
  if (Math.abs(now - timestamp) > TRIGGER_SIGNATURE_TOLERANCE_SECONDS) {
    throw unauthenticated(
      "the signature's time is more than five minutes away from ours (replayed or clock skew)",
    );
  }
  const bot = isUuid(botId)
    ? await deps.db.system.bot.findFirst({
        where: { id: botId, archivedAt: null },
        select: { tenantId: true, triggerSecretCiphertext: true },
      })
    : null;
  if (!bot?.triggerSecretCiphertext) throw unauthenticated("the signature does not match");
  const secret = vaultOf(deps).decrypt(bot.triggerSecretCiphertext, bindingOf(bot.tenantId, botId));
  const expected = Buffer.from(
    signTriggerRequest(secret, rawBody, timestamp).split("v1=")[1] as string,
    "hex",
  );
  const given = Buffer.from(parts.v1 as string, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthenticated("the signature does not match");
  }
  let body: unknown;
  try {
    body = rawBody.trim() === "" ? {} : JSON.parse(rawBody);
  } catch {
    throw new ServiceError("invalid", "invalid-body", "the body is not JSON");
  }
  const ctx: ServiceContext = {
    deps,
    tenantId: bot.tenantId,
    actor: { type: "system", label: `trigger:${name}` },
  };
  return fireTrigger(ctx, botId, name, body);
}
