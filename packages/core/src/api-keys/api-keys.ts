import type { ApiKey } from "@parley/db";
import { generateSecretApiKey, hashToken, tokenKindOf } from "@parley/infra";
import { z } from "zod";
import { apiKeyScopeSchema } from "../access/scopes";
import { recordAudit } from "../audit";
import { type Actor, authorize, type CoreDeps, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid, newId } from "../internal/ids";

/** Input of {@link createApiKey}. */
export const createApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z.array(apiKeyScopeSchema).min(1).max(30),
    /** ISO date-time after which the key stops working. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** An API key as lists show it: never the key itself. */
export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
/** An API key as lists show it. */
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

const toView = (key: ApiKey): ApiKeyView => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  expiresAt: key.expiresAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

/**
 * Creates a secret API key (`sk_...`) with scopes. The key is returned once, here; only its hash
 * is stored. Needs `apiKeys:manage`; a key cannot mint a key with scopes it does not hold itself.
 */
export async function createApiKey(
  ctx: ServiceContext,
  input: z.input<typeof createApiKeyInputSchema>,
): Promise<{ apiKey: ApiKeyView; key: string }> {
  authorize(ctx, "apiKeys:manage");
  const data = parseInput(createApiKeyInputSchema, input, "API key");
  if (ctx.actor.type === "api_key") {
    const held = ctx.actor.scopes;
    const wider = data.scopes.filter((scope) => !held.includes("*") && !held.includes(scope));
    if (wider.length > 0) {
      throw new ServiceError(
        "forbidden",
        "forbidden",
        `this API key cannot grant scopes it lacks: ${wider.join(", ")}`,
      );
    }
  }
  const token = generateSecretApiKey();
  return tenantDb(ctx).$transaction(async (tx) => {
    const key = await tx.apiKey.create({
      data: {
        id: newId(),
        tenantId: ctx.tenantId,
        name: data.name,
        prefix: token.prefix,
        keyHash: token.hash,
        scopes: [...new Set(data.scopes)],
        createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
        expiresAt: data.expiresAt ? new Date(data.expiresAt) : null,
      },
    });
    const apiKey = toView(key);
    await recordAudit(tx, ctx, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: key.id,
      after: apiKey,
    });
    return { apiKey, key: token.key };
  });
}

/** The tenant's API keys, newest first. Needs `apiKeys:manage`. */
export async function listApiKeys(ctx: ServiceContext): Promise<ApiKeyView[]> {
  authorize(ctx, "apiKeys:manage");
  return (await tenantDb(ctx).apiKey.findMany({ orderBy: { createdAt: "desc" } })).map(toView);
}

/** Revokes a key: it is refused from now on, in every process. Needs `apiKeys:manage`. */
export async function revokeApiKey(ctx: ServiceContext, keyId: string): Promise<ApiKeyView> {
  authorize(ctx, "apiKeys:manage");
  const db = tenantDb(ctx);
  const existing = isUuid(keyId) ? await db.apiKey.findFirst({ where: { id: keyId } }) : null;
  if (!existing) throw notFound("api-key", keyId);
  const view = await db.$transaction(async (tx) => {
    const key = await tx.apiKey.update({
      where: { id: keyId },
      data: { revokedAt: existing.revokedAt ?? new Date() },
    });
    await recordAudit(tx, ctx, { action: "api_key.revoke", targetType: "api_key", targetId: keyId });
    return toView(key);
  });
  await ctx.deps.infra.cache.delete(`apikey:${existing.keyHash}`);
  return view;
}

/** Who a bearer key authenticates as. */
export interface Authentication {
  tenantId: string;
  actor: Actor;
  /** For publishable keys: the bot's allowed origins (CORS). */
  allowedOrigins?: readonly string[];
}

interface CachedKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: number | null;
}

const CACHE_TTL_MS = 30_000;
const LAST_USED_RESOLUTION_MS = 60_000;

function unauthenticated(message: string, code = "invalid-api-key"): ServiceError {
  return new ServiceError("unauthenticated", code, message);
}

/**
 * Authenticates a presented key (a system operation: the key decides the tenant).
 * Secret keys (`sk_`): must exist, not be revoked or expired; `lastUsedAt` is updated (at most once
 * a minute). Publishable keys (`pk_`): the bot's widget actor plus its allowed origins.
 * Lookups are cached briefly; revoking a key drops it from the cache in every process.
 * @throws ServiceError `unauthenticated` (`invalid-api-key`, `api-key-revoked`, `api-key-expired`)
 */
export async function authenticateKey(deps: CoreDeps, presented: string): Promise<Authentication> {
  const kind = tokenKindOf(presented);
  if (kind === "publishable") return authenticatePublishableKey(deps, presented);
  if (kind !== "secret") throw unauthenticated("the API key is malformed (expected sk_... or pk_...)");
  const hash = hashToken(presented);
  const cacheKey = `apikey:${hash}`;
  let key = await deps.infra.cache.get<CachedKey>(cacheKey);
  if (!key) {
    const row = await deps.db.system.apiKey.findUnique({ where: { keyHash: hash } });
    if (!row) throw unauthenticated("the API key is not valid");
    key = {
      id: row.id,
      tenantId: row.tenantId,
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      lastUsedAt: row.lastUsedAt?.getTime() ?? null,
    };
    await deps.infra.cache.set(cacheKey, key, { ttlMs: CACHE_TTL_MS });
  }
  if (key.revokedAt) throw unauthenticated(`the API key ${key.prefix}... was revoked`, "api-key-revoked");
  const now = deps.clock?.now() ?? Date.now();
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) {
    throw unauthenticated(`the API key ${key.prefix}... has expired`, "api-key-expired");
  }
  if (key.lastUsedAt === null || now - key.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    key.lastUsedAt = now;
    await deps.infra.cache.set(cacheKey, key, { ttlMs: CACHE_TTL_MS });
    await deps.db.system.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    tenantId: key.tenantId,
    actor: { type: "api_key", keyId: key.id, scopes: key.scopes, label: `${key.name} (${key.prefix}...)` },
  };
}

interface CachedBot {
  botId: string;
  tenantId: string;
  allowedOrigins: string[];
}

async function authenticatePublishableKey(deps: CoreDeps, key: string): Promise<Authentication> {
  const bot = await deps.infra.cache.getOrSet<CachedBot | undefined>(
    `pk:${key}`,
    async () => {
      const row = await deps.db.system.bot.findUnique({
        where: { publishableKey: key },
        select: { id: true, tenantId: true, allowedOrigins: true, archivedAt: true },
      });
      return row && !row.archivedAt
        ? { botId: row.id, tenantId: row.tenantId, allowedOrigins: row.allowedOrigins }
        : undefined;
    },
    { ttlMs: CACHE_TTL_MS },
  );
  if (!bot) throw unauthenticated("the publishable key is not valid");
  return {
    tenantId: bot.tenantId,
    actor: { type: "widget", botId: bot.botId, label: `widget of bot ${bot.botId}` },
    allowedOrigins: bot.allowedOrigins,
  };
}
