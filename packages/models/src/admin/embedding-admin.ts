import type { z } from "zod";
import { type EmbeddingSettings, embeddingSettingsSchema } from "../config/tenant-model-config";
import { modelsPart, tenantModelSettingsSchema } from "../persistence/model-settings";
import type { AdminContext } from "./admin-context";

import { ModelAdminError } from "./model-admin-error";
import { listProviders } from "./provider-admin";

/** Provider kinds that serve embeddings (through the official `openai` client). */
const EMBEDDING_KINDS = new Set(["openai", "azure_openai", "openai_compatible"]);

/** The tenant's embedding model for the knowledge base (internal to ModelAdmin). */

/** The tenant's embedding model for the knowledge base, or null (full-text retrieval only). */
export async function getEmbeddings(
  admin: AdminContext,
  tenantId: string,
): Promise<EmbeddingSettings | null> {
  const tenant = await admin.options.db
    .forTenant(tenantId)
    .tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
  return modelsPart(tenant?.settings, tenantModelSettingsSchema).embeddings ?? null;
}

/**
 * Sets (or with null removes) the tenant's embedding model. The provider must be configured and of
 * the OpenAI family. Documents indexed before keep their vectors' model: re-upload them to embed
 * them with a new one (until then they are found by their words).
 */
export async function saveEmbeddings(
  admin: AdminContext,
  tenantId: string,
  input: z.input<typeof embeddingSettingsSchema> | null,
): Promise<EmbeddingSettings | null> {
  const settings = input === null ? null : embeddingSettingsSchema.parse(input);
  if (settings) {
    const provider = (await listProviders(admin, tenantId)).find((p) => p.name === settings.provider);
    if (!provider) throw new ModelAdminError(`provider "${settings.provider}" is not configured`);
    if (!EMBEDDING_KINDS.has(provider.kind)) {
      throw new ModelAdminError(
        `provider "${settings.provider}" (${provider.kind}) does not serve embeddings; use an OpenAI, Azure OpenAI or OpenAI-compatible provider`,
      );
    }
  }
  const client = admin.options.db.forTenant(tenantId);
  await client.$transaction(async (tx) => {
    const tenant = await tx.tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
    const current =
      tenant?.settings && typeof tenant.settings === "object" && !Array.isArray(tenant.settings)
        ? (tenant.settings as Record<string, unknown>)
        : {};
    const models =
      current.models && typeof current.models === "object" && !Array.isArray(current.models)
        ? { ...(current.models as Record<string, unknown>) }
        : {};
    if (settings) models.embeddings = settings;
    else delete models.embeddings;
    await tx.tenant.update({
      where: { id: tenantId },
      data: { settings: JSON.parse(JSON.stringify({ ...current, models })) },
    });
  });
  admin.changed(tenantId);
  return settings;
}
