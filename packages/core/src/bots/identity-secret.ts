import { randomBytes } from "node:crypto";
import type { IdentitySecretResponse, IdentityVerificationStatus } from "@parley/contract";
import { secretBinding } from "@parley/infra";
import { recordAudit } from "../audit";
import { authorize, type CoreDeps, type ServiceContext, tenantDb } from "../context";
import { ServiceError } from "../errors";
import { configCache, configChanged } from "../internal/config-cache";
import { loadBot } from "./bots";

/** Prefix of identity secrets, so a leaked one is recognisable (secret scanners, logs). */
export const IDENTITY_SECRET_PREFIX = "idsec_";

const bindingOf = (tenantId: string, botId: string) =>
  secretBinding({ tenantId, table: "bots", rowId: botId, field: "identity_secret" });

function vaultOf(deps: CoreDeps) {
  if (!deps.vault)
    throw new ServiceError("unavailable", "vault-unavailable", "the secrets vault is not configured");
  return deps.vault;
}

/**
 * Generates (or rotates) the bot's identity secret and returns it this once; it is stored
 * encrypted with the vault. Your server signs visitor identity tokens (HS256 JWTs) with it, so the
 * widget can link a visitor to your user. Rotating invalidates tokens signed with the old secret
 * in every process within about a second. Needs `bots:write`; audited (without the secret).
 * @example
 * const { secret } = await generateIdentitySecret(ctx, botId); // "idsec_..."
 */
export async function generateIdentitySecret(
  ctx: ServiceContext,
  botId: string,
): Promise<IdentitySecretResponse> {
  authorize(ctx, "bots:write");
  const bot = await loadBot(ctx, botId);
  const secret = `${IDENTITY_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  const ciphertext = vaultOf(ctx.deps).encrypt(secret, bindingOf(ctx.tenantId, botId));
  const rotated = bot.identitySecretCiphertext !== null;
  try {
    await tenantDb(ctx).$transaction(async (tx) => {
      await tx.bot.update({ where: { id: botId }, data: { identitySecretCiphertext: ciphertext } });
      await recordAudit(tx, ctx, {
        action: rotated ? "bot.rotate_identity_secret" : "bot.generate_identity_secret",
        targetType: "bot",
        targetId: botId,
      });
    });
  } finally {
    await configChanged(ctx.deps);
  }
  return { botId, secret, rotated };
}

/** Whether the bot verifies visitor identity tokens (has an identity secret). Needs `bots:read`. */
export async function identityVerificationStatus(
  ctx: ServiceContext,
  botId: string,
): Promise<IdentityVerificationStatus> {
  authorize(ctx, "bots:read");
  const bot = await loadBot(ctx, botId);
  return { botId, enabled: bot.identitySecretCiphertext !== null };
}

/**
 * The bot's identity secret in clear, or null when none was generated (internal). Kept encrypted
 * in process memory; a rotation moves the configuration revision, so every process rereads it.
 */
export async function identitySecretOf(ctx: ServiceContext, botId: string): Promise<string | null> {
  const cache = configCache<{ ciphertext: string | null }>(ctx.deps, "bot-identity-secrets", {
    ttlMs: 5 * 60_000,
    maxEntries: 10_000,
  });
  const { ciphertext } = await cache.get(`${ctx.tenantId}:${botId}`, async () => {
    const row = await tenantDb(ctx).bot.findFirst({
      where: { id: botId, archivedAt: null },
      select: { identitySecretCiphertext: true },
    });
    return { ciphertext: row?.identitySecretCiphertext ?? null };
  });
  return ciphertext === null ? null : vaultOf(ctx.deps).decrypt(ciphertext, bindingOf(ctx.tenantId, botId));
}
