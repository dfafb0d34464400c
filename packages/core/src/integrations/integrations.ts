import {
  createIntegrationInputSchema,
  type IntegrationCredentials,
  type IntegrationView,
  integrationCredentialsSchema,
  updateIntegrationInputSchema,
} from "@parley/contract";
import type { Integration } from "@parley/db";
import { secretBinding } from "@parley/infra";
import type { z } from "zod";
import { recordAudit } from "../audit";
import {
  connectorIntegrationConfig,
  withConnectorCredentialDefaults,
} from "../connectors/connector-integration";
import { authorize, type CoreDeps, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";

/** Where an integration's credentials are bound in the vault (tenant, table, row, field). */
export const credentialsBinding = (tenantId: string, integrationId: string) =>
  secretBinding({ tenantId, table: "Integration", rowId: integrationId, field: "credentials" });

function vaultOf(deps: CoreDeps) {
  if (!deps.vault) {
    throw new ServiceError(
      "unavailable",
      "vault-unavailable",
      "integration credentials need the secret key (PARLEY_SECRET_KEY) to be configured",
    );
  }
  return deps.vault;
}

function toView(row: Integration, credentialsType: IntegrationCredentials["type"] | null): IntegrationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config: row.config as IntegrationView["config"],
    credentials: credentialsType ? { type: credentialsType } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The type of the stored credentials (decrypting them; the values stay here). */
function credentialsTypeOf(deps: CoreDeps, row: Integration): IntegrationCredentials["type"] | null {
  if (!row.credentialsCiphertext) return null;
  const plain = vaultOf(deps).decrypt(row.credentialsCiphertext, credentialsBinding(row.tenantId, row.id));
  return integrationCredentialsSchema.parse(JSON.parse(plain)).type;
}

function encrypted(deps: CoreDeps, tenantId: string, id: string, credentials: IntegrationCredentials) {
  const vault = vaultOf(deps);
  const ciphertext = vault.encrypt(JSON.stringify(credentials), credentialsBinding(tenantId, id));
  return { credentialsCiphertext: ciphertext, credentialsKeyId: vault.keyIdOf(ciphertext) };
}

function nameTaken(error: unknown, name: string): never {
  if ((error as { code?: string }).code === "P2002") {
    throw new ServiceError(
      "conflict",
      "integration-name-taken",
      `an integration named "${name}" exists already`,
      {
        errors: [{ path: "name", message: "already used by another integration" }],
      },
    );
  }
  throw error;
}

async function loadIntegration(ctx: ServiceContext, integrationId: string): Promise<Integration> {
  const row = isUuid(integrationId)
    ? await tenantDb(ctx).integration.findFirst({ where: { id: integrationId } })
    : null;
  if (!row) throw notFound("integration", integrationId);
  return row;
}

/**
 * Creates an HTTP integration: a base URL, default headers and (encrypted) credentials that http
 * nodes referencing it (`integrationId`: its id or name) get injected. Needs `integrations:manage`.
 */
export async function createIntegration(
  ctx: ServiceContext,
  input: z.input<typeof createIntegrationInputSchema>,
): Promise<IntegrationView> {
  authorize(ctx, "integrations:manage");
  const data = parseInput(
    createIntegrationInputSchema,
    withConnectorCredentialDefaults(input),
    "integration",
  );
  // From a catalogue connector: base URL from its settings, its headers, and its id for `operation` nodes.
  const config = data.connector ? connectorIntegrationConfig(data) : data.config;
  const id = newId();
  const secret = data.credentials ? encrypted(ctx.deps, ctx.tenantId, id, data.credentials) : {};
  const view = await tenantDb(ctx)
    .$transaction(async (tx) => {
      const row = await tx.integration.create({
        data: {
          id,
          tenantId: ctx.tenantId,
          name: data.name,
          kind: "http",
          config: config as never,
          ...secret,
          createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
        },
      });
      const created = toView(row, data.credentials?.type ?? null);
      await recordAudit(tx, ctx, {
        action: "integration.create",
        targetType: "integration",
        targetId: id,
        after: created,
      });
      return created;
    })
    .catch((error: unknown) => nameTaken(error, data.name));
  await configChanged(ctx.deps);
  return view;
}

/** The tenant's integrations (credentials' type only). Needs `integrations:manage`. */
export async function listIntegrations(ctx: ServiceContext): Promise<IntegrationView[]> {
  authorize(ctx, "integrations:manage");
  const rows = await tenantDb(ctx).integration.findMany({ orderBy: { name: "asc" } });
  return rows.map((row) => toView(row, credentialsTypeOf(ctx.deps, row)));
}

/**
 * Renames an integration, replaces its settings, or replaces (`credentials`) or removes
 * (`credentials: null`) its credentials. Running conversations use the change within a second.
 * Needs `integrations:manage`.
 */
export async function updateIntegration(
  ctx: ServiceContext,
  integrationId: string,
  input: z.input<typeof updateIntegrationInputSchema>,
): Promise<IntegrationView> {
  authorize(ctx, "integrations:manage");
  const data = parseInput(updateIntegrationInputSchema, input, "integration");
  const before = await loadIntegration(ctx, integrationId);
  const secret =
    data.credentials === undefined
      ? {}
      : data.credentials === null
        ? { credentialsCiphertext: null, credentialsKeyId: null }
        : encrypted(ctx.deps, ctx.tenantId, before.id, data.credentials);
  const view = await tenantDb(ctx)
    .$transaction(async (tx) => {
      const row = await tx.integration.update({
        where: { id: before.id },
        data: {
          ...(data.name === undefined ? {} : { name: data.name }),
          ...(data.config === undefined ? {} : { config: data.config as never }),
          ...secret,
        },
      });
      const updated = toView(row, credentialsTypeOf(ctx.deps, row));
      await recordAudit(tx, ctx, {
        action: "integration.update",
        targetType: "integration",
        targetId: before.id,
        before: toView(before, credentialsTypeOf(ctx.deps, before)),
        after: updated,
      });
      return updated;
    })
    .catch((error: unknown) => nameTaken(error, data.name ?? before.name));
  await configChanged(ctx.deps);
  return view;
}

/** Deletes an integration; http nodes that use it take their error branch. Needs `integrations:manage`. */
export async function deleteIntegration(ctx: ServiceContext, integrationId: string): Promise<void> {
  authorize(ctx, "integrations:manage");
  const before = await loadIntegration(ctx, integrationId);
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.integration.delete({ where: { id: before.id } });
    await recordAudit(tx, ctx, {
      action: "integration.delete",
      targetType: "integration",
      targetId: before.id,
      before: toView(before, credentialsTypeOf(ctx.deps, before)),
    });
  });
  await configChanged(ctx.deps);
}
