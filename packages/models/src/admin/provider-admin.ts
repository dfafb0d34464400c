import { saveProviderSchema } from "@parley/contract";
import { createGuardedHttpClient, OutboundHttpError } from "@parley/infra";
import type { z } from "zod";
import type { ModelOrchestrator } from "../orchestrator/orchestrator";
import { providerKeyBinding } from "../persistence/provider-secret";
import { providerOptionsSchema } from "../providers/provider-config";
import type { AdminContext } from "./admin-context";
import type { ProviderSummary } from "./model-admin";
import { ModelAdminError } from "./model-admin-error";

/** Model providers of a tenant: listed without keys, saved with keys encrypted, deleted (internal to ModelAdmin). */

export async function listProviders(admin: AdminContext, tenantId: string): Promise<ProviderSummary[]> {
  const rows = await admin.options.db
    .forTenant(tenantId)
    .modelProvider.findMany({ orderBy: { name: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
    options: providerOptionsSchema.catch({}).parse(row.config),
    enabled: row.enabled,
    hasApiKey: row.apiKeyCiphertext !== null,
  }));
}

/**
 * Refuses a base URL the platform may not contact (loopback, private, link-local or metadata
 * addresses, unless the operator allowed them): a field error on `baseUrl`. Calls check again,
 * so a name whose DNS changes later is still refused.
 */
async function checkEndpoint(admin: AdminContext, baseUrl: string): Promise<void> {
  const check =
    admin.options.checkEndpoint ??
    (admin.options.orchestrator
      ? (url: string) => (admin.options.orchestrator as ModelOrchestrator).checkProviderEndpoint(url)
      : (url: string) => createGuardedHttpClient().checkUrl(url));
  try {
    await check(baseUrl);
  } catch (error) {
    if (!(error instanceof OutboundHttpError)) throw error;
    const reason = error.code === "DNS_FAILED" ? `${error.message}; check the host name` : error.message;
    throw new ModelAdminError(`baseUrl cannot be used: ${reason}`, { field: "baseUrl", cause: error });
  }
}

/**
 * Creates or updates a provider; the key is encrypted bound to the row and never returned. A base
 * URL must be one the platform may contact (see {@link checkEndpoint}).
 */
export async function saveProvider(
  admin: AdminContext,
  tenantId: string,
  input: z.input<typeof saveProviderSchema>,
): Promise<ProviderSummary> {
  const data = saveProviderSchema.parse(input);
  if (data.baseUrl) await checkEndpoint(admin, data.baseUrl);
  const client = admin.options.db.forTenant(tenantId);
  const id = await client.$transaction(async (tx) => {
    if (data.id && data.apiKey === undefined) {
      const current = await tx.modelProvider.findFirst({ where: { id: data.id } });
      if (current) assertKeyFollowsEndpoint(current, data);
    }
    const fields = {
      name: data.name,
      kind: data.kind,
      baseUrl: data.baseUrl ?? null,
      config: data.options,
      enabled: data.enabled,
    };
    const row = data.id
      ? await tx.modelProvider.update({ where: { id: data.id }, data: fields })
      : await tx.modelProvider.create({ data: { tenantId, ...fields } });
    if (data.apiKey !== undefined) {
      const ciphertext =
        data.apiKey === null
          ? null
          : admin.options.vault.encrypt(data.apiKey, providerKeyBinding(tenantId, row.id));
      await tx.modelProvider.update({
        where: { id: row.id },
        data: {
          apiKeyCiphertext: ciphertext,
          apiKeyKeyId: ciphertext ? admin.options.vault.keyIdOf(ciphertext) : null,
        },
      });
    }
    return row.id;
  });
  admin.changed(tenantId);
  const saved = (await listProviders(admin, tenantId)).find((provider) => provider.id === id);
  if (!saved) throw new ModelAdminError(`provider ${id} vanished while saving`);
  return saved;
}

export async function deleteProvider(
  admin: AdminContext,
  tenantId: string,
  providerId: string,
): Promise<boolean> {
  const { count } = await admin.options.db
    .forTenant(tenantId)
    .modelProvider.deleteMany({ where: { id: providerId } });
  admin.changed(tenantId);
  return count > 0;
}

/**
 * A stored key was entered for one endpoint: moving the provider to another base URL or kind while
 * keeping it would send the owner's key wherever the editor points it. Such a change needs the key
 * again (or `apiKey: null` to drop it), reported on `apiKey`.
 */
function assertKeyFollowsEndpoint(
  current: { apiKeyCiphertext: string | null; baseUrl: string | null; kind: string },
  next: { baseUrl?: string | undefined; kind: string },
): void {
  if (current.apiKeyCiphertext === null) return;
  const changed = [
    ...((current.baseUrl ?? null) !== (next.baseUrl ?? null) ? ["base URL"] : []),
    ...(current.kind !== next.kind ? ["kind"] : []),
  ];
  if (changed.length === 0) return;
  throw new ModelAdminError(
    `changing the provider's ${changed.join(" and ")} needs its API key again (the stored key is not sent to a new endpoint)`,
    { field: "apiKey" },
  );
}
