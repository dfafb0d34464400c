import {
  createProviderInputSchema,
  type ProviderView,
  type SaveProviderInput,
  saveProviderSchema,
  type UpdateProviderInput,
  updateProviderInputSchema,
} from "@parley/contract";
import type { ProviderSummary } from "@parley/models";
import { recordAudit } from "../audit";
import { actorCan, authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { providerKeyHints } from "./key-hints";
import { assertProviderNameFree, existingProvider, routesUsingProvider } from "./model-checks";
import { withModelErrors } from "./model-errors";
import { modelParts } from "./model-services";
import { inUse, preferencesNamingProvider } from "./routing-checks";

/** A provider as the audit log records it: never the key, not even its last characters. */
function auditedProvider(provider: ProviderSummary | undefined) {
  if (!provider) return undefined;
  const { hasApiKey, ...rest } = provider;
  return { ...rest, keyStored: hasApiKey };
}

/** Providers with their key hints: the key's last characters only for those who manage keys. */
async function withKeyHints(ctx: ServiceContext, providers: ProviderSummary[]): Promise<ProviderView[]> {
  const hints =
    actorCan(ctx.actor, "models:manage") && ctx.deps.vault
      ? await providerKeyHints(tenantDb(ctx), ctx.deps.vault, ctx.tenantId)
      : new Map<string, string>();
  return providers.map((provider) => ({
    ...provider,
    keyHint: provider.hasApiKey ? (hints.get(provider.id) ?? "set") : null,
  }));
}

/**
 * The tenant's model providers. Keys are never returned: `keyHint` is `…abcd` (the last four
 * characters) for callers holding `models:manage`, `set` for everyone else. Needs `bots:read`.
 */
export async function listModelProviders(ctx: ServiceContext): Promise<ProviderView[]> {
  authorize(ctx, "bots:read");
  return withKeyHints(ctx, await modelParts(ctx.deps).admin.listProviders(ctx.tenantId));
}

/** Refuses renaming a provider that routes or routing preferences name. */
async function assertRenameAllowed(ctx: ServiceContext, before: { name: string }, name: string) {
  if (before.name === name) return;
  const users = await routesUsingProvider(tenantDb(ctx), before.name);
  if (users.length > 0)
    throw new ServiceError(
      "conflict",
      "model-provider-in-use",
      `routes ${users.join(", ")} use this provider by name; change them before renaming it`,
      { errors: [{ path: "name", message: `used by route(s) ${users.join(", ")}` }] },
    );
  const preferring = await preferencesNamingProvider(
    tenantDb(ctx),
    modelParts(ctx.deps).admin,
    ctx.tenantId,
    before.name,
  );
  if (preferring.length > 0)
    throw inUse(
      "model-provider-preferred",
      `preferred by ${preferring.join(", ")}; change their preferred providers before renaming it`,
      true,
    );
}

/**
 * Creates (no `id`) or updates a provider. The key is write-only and stored encrypted; changing the
 * base URL or kind of a provider with a stored key needs the key again (a field error on `apiKey`).
 * Needs `models:manage`; audited without the key.
 */
export async function saveModelProvider(
  ctx: ServiceContext,
  input: SaveProviderInput,
): Promise<ProviderView> {
  authorize(ctx, "models:manage");
  const data = parseInput(saveProviderSchema, input, "provider");
  const db = tenantDb(ctx);
  const { admin } = modelParts(ctx.deps);
  const before = data.id ? await existingProvider(db, data.id) : undefined;
  await assertProviderNameFree(db, data.name, data.id);
  if (before) await assertRenameAllowed(ctx, before, data.name);
  const previous = before
    ? (await admin.listProviders(ctx.tenantId)).find((p) => p.id === before.id)
    : undefined;
  const saved = await withModelErrors("model-provider", () => admin.saveProvider(ctx.tenantId, data));
  await recordAudit(db, ctx, {
    action: before ? "model_provider.update" : "model_provider.create",
    targetType: "model_provider",
    targetId: saved.id,
    ...(previous ? { before: auditedProvider(previous) } : {}),
    after: {
      ...auditedProvider(saved),
      keyChange: data.apiKey === undefined ? "kept" : data.apiKey === null ? "removed" : "replaced",
    },
  });
  return (await withKeyHints(ctx, [saved]))[0] as ProviderView;
}

/** Creates a provider (REST `POST /api/v1/model-providers`); see {@link saveModelProvider}. */
export function createModelProvider(ctx: ServiceContext, input: unknown): Promise<ProviderView> {
  authorize(ctx, "models:manage");
  return saveModelProvider(ctx, parseInput(createProviderInputSchema, input, "provider"));
}

/**
 * Changes some fields of a provider (REST `PATCH`); absent fields keep their value, `baseUrl: null`
 * removes it, `apiKey: null` removes the key. See {@link saveModelProvider}.
 */
export async function updateModelProvider(
  ctx: ServiceContext,
  providerId: string,
  changes: UpdateProviderInput,
): Promise<ProviderView> {
  authorize(ctx, "models:manage");
  const patch = parseInput(updateProviderInputSchema, changes, "provider changes");
  await existingProvider(tenantDb(ctx), providerId);
  const current = (await modelParts(ctx.deps).admin.listProviders(ctx.tenantId)).find(
    (provider) => provider.id === providerId,
  );
  if (!current)
    throw new ServiceError("not_found", "model-provider-not-found", "model provider was not found");
  const baseUrl = patch.baseUrl === undefined ? current.baseUrl : (patch.baseUrl ?? undefined);
  return saveModelProvider(ctx, {
    id: providerId,
    name: patch.name ?? current.name,
    kind: patch.kind ?? current.kind,
    ...(baseUrl ? { baseUrl } : {}),
    options: patch.options ?? current.options,
    enabled: patch.enabled ?? current.enabled,
    ...(patch.apiKey !== undefined ? { apiKey: patch.apiKey } : {}),
  });
}

/** Deletes a provider no route or routing preference names. Needs `models:manage`; audited. */
export async function deleteModelProvider(ctx: ServiceContext, providerId: string): Promise<void> {
  authorize(ctx, "models:manage");
  const db = tenantDb(ctx);
  const { admin } = modelParts(ctx.deps);
  const row = await existingProvider(db, providerId);
  const users = await routesUsingProvider(db, row.name);
  if (users.length > 0)
    throw new ServiceError(
      "conflict",
      "model-provider-in-use",
      `provider "${row.name}" is used by route(s) ${users.join(", ")}; remove it from them first`,
    );
  const preferring = await preferencesNamingProvider(db, admin, ctx.tenantId, row.name);
  if (preferring.length > 0)
    throw inUse(
      "model-provider-preferred",
      `provider "${row.name}" is preferred by ${preferring.join(", ")}; remove it from their preferred providers first`,
      false,
    );
  const previous = (await admin.listProviders(ctx.tenantId)).find((p) => p.id === row.id);
  await admin.deleteProvider(ctx.tenantId, row.id);
  await recordAudit(db, ctx, {
    action: "model_provider.delete",
    targetType: "model_provider",
    targetId: row.id,
    before: auditedProvider(previous),
  });
}
