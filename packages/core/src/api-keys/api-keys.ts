import type { ApiKey } from "@parley/db";
import { generateSecretApiKey, hashToken, tokenKindOf } from "@parley/infra";
import { z } from "zod";
import { apiKeyScopeSchema, scopesAllow } from "../access/scopes";
import { recordAudit } from "../audit";
import { type Actor, authorize, type CoreDeps, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configCache, configChanged } from "../internal/config-cache";
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
    const wider = data.scopes.filter((scope) =>
      scope === "*" ? !held.includes("*") : !scopesAllow(held, scope),
    );
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
  secretKeys(ctx.deps).delete(existing.keyHash);
  // This process stops accepting the key at once; the others at their next revision poll (< 1 s).
  await configChanged(ctx.deps);
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
  expiresAt: number | null;
  revokedAt: number | null;
  /** When this process last recorded a use (ms). */
  lastUsedAt: number | null;
}

interface CachedBot {
  botId: string;
  tenantId: string;
  allowedOrigins: string[];
}

/**
 * Keys are kept in process memory: a change to a key (revocation, expiry, scopes) moves the
 * database's configuration revision and every process drops its copies within a poll (< 1 s).
 * The TTL only bounds memory for keys nobody uses any more.
 */
const CACHE = { ttlMs: 5 * 60_000, maxEntries: 10_000 };
const LAST_USED_RESOLUTION_MS = 60_000;

const secretKeys = (deps: CoreDeps) => configCache<CachedKey | null>(deps, "api-keys", CACHE);
const publishableKeys = (deps: CoreDeps) => configCache<CachedBot | null>(deps, "publishable-keys", CACHE);

/** Unknown keys are not cached: guessing keys must not fill the cache. */
const isKnown = (value: unknown) => value !== null;

function unauthenticated(message: string, code = "invalid-api-key"): ServiceError {
  return new ServiceError("unauthenticated", code, message);
}

/**
 * Authenticates a presented key (a system operation: the key decides the tenant).
 * Secret keys (`sk_`): must exist, not be revoked or expired; `lastUsedAt` is updated (at most once
 * a minute). Publishable keys (`pk_`): the bot's widget actor plus its allowed origins.
 * Lookups are cached in process memory; revoking a key (or changing a bot's key or origins) takes
 * effect in every process within about a second (see ConfigCache).
 * @throws ServiceError `unauthenticated` (`invalid-api-key`, `api-key-revoked`, `api-key-expired`)
 */
export async function authenticateKey(deps: CoreDeps, presented: string): Promise<Authentication> {
  const kind = tokenKindOf(presented);
  if (kind === "publishable") return authenticatePublishableKey(deps, presented);
  if (kind !== "secret") throw unauthenticated("the API key is malformed (expected sk_... or pk_...)");
  const hash = hashToken(presented);
  const key = await secretKeys(deps).get(
    hash,
    async () => {
      const row = await deps.db.system.apiKey.findUnique({ where: { keyHash: hash } });
      return row
        ? {
            id: row.id,
            tenantId: row.tenantId,
            name: row.name,
            prefix: row.prefix,
            scopes: row.scopes,
            expiresAt: row.expiresAt?.getTime() ?? null,
            revokedAt: row.revokedAt?.getTime() ?? null,
            lastUsedAt: row.lastUsedAt?.getTime() ?? null,
          }
        : null;
    },
    isKnown,
  );
  if (!key) throw unauthenticated("the API key is not valid");
  if (key.revokedAt !== null) {
    throw unauthenticated(`the API key ${key.prefix}... was revoked`, "api-key-revoked");
  }
  const now = deps.clock?.now() ?? Date.now();
  if (key.expiresAt !== null && key.expiresAt <= now) {
    throw unauthenticated(`the API key ${key.prefix}... has expired`, "api-key-expired");
  }
  if (key.lastUsedAt === null || now - key.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    // At most once a minute per process: usage is informational, not worth a write per request.
    key.lastUsedAt = now;
    await deps.db.system.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    tenantId: key.tenantId,
    actor: { type: "api_key", keyId: key.id, scopes: key.scopes, label: `${key.name} (${key.prefix}...)` },
  };
}

async function authenticatePublishableKey(deps: CoreDeps, key: string): Promise<Authentication> {
  const bot = await publishableKeys(deps).get(
    key,
    async () => {
      const row = await deps.db.system.bot.findUnique({
        where: { publishableKey: key },
        select: { id: true, tenantId: true, allowedOrigins: true, archivedAt: true },
      });
      return row && !row.archivedAt
        ? { botId: row.id, tenantId: row.tenantId, allowedOrigins: row.allowedOrigins }
        : null;
    },
    isKnown,
  );
  if (!bot) throw unauthenticated("the publishable key is not valid");
  return {
    tenantId: bot.tenantId,
    actor: { type: "widget", botId: bot.botId, label: `widget of bot ${bot.botId}` },
    allowedOrigins: bot.allowedOrigins,
  };
}
