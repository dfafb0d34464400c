import {
  type CreateIntegrationRequest,
  createIntegrationInputSchema,
  type IntegrationCredentials,
  type IntegrationView,
  updateIntegrationInputSchema,
} from "@parley/contract";
import type { Integration } from "@parley/db";
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
import { liveAuthStatus } from "./oauth2-tokens";
import { breakerStateOf } from "./resilience";
import { credentialsView, encryptStoredCredentials, readStoredCredentials } from "./stored-credentials";

export { credentialsBinding } from "./stored-credentials";

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

type CredentialsView = IntegrationView["credentials"];

function toView(
  row: Integration,
  credentials: CredentialsView,
  breaker: IntegrationView["breaker"],
): IntegrationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config: row.config as IntegrationView["config"],
    credentials,
    breaker,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The stored credentials as the API shows them (decrypting them; the values stay here): type,
 * non-secret fields, secret hints, and for OAuth2 the connection status (`live`: the last token
 * outcome any process saw).
 */
function credentialsViewOf(
  deps: CoreDeps,
  row: Integration,
  live?: Awaited<ReturnType<typeof liveAuthStatus>>,
): CredentialsView {
  if (!row.credentialsCiphertext) return null;
  return credentialsView(
    readStoredCredentials(vaultOf(deps), row.tenantId, row.id, row.credentialsCiphertext),
    live,
  );
}

async function viewOf(deps: CoreDeps, row: Integration): Promise<IntegrationView> {
  const live = row.credentialsCiphertext ? await liveAuthStatus(deps, row.tenantId, row.id) : undefined;
  return toView(row, credentialsViewOf(deps, row, live), await breakerStateOf(deps, row.tenantId, row.id));
}

function encrypted(deps: CoreDeps, tenantId: string, id: string, credentials: IntegrationCredentials) {
  return encryptStoredCredentials(vaultOf(deps), tenantId, id, { credentials });
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

/**
 * An integration by id or by name, as http nodes name it (`integrationId: "crm"`): the sandbox of
 * a node tests the integration the node will call.
 */
export async function loadIntegrationByRef(ctx: ServiceContext, ref: string): Promise<Integration> {
  const row = isUuid(ref)
    ? await tenantDb(ctx).integration.findFirst({ where: { id: ref } })
    : await tenantDb(ctx).integration.findFirst({ where: { name: ref } });
  if (!row) throw notFound("integration", ref);
  return row;
}

export async function loadIntegration(ctx: ServiceContext, integrationId: string): Promise<Integration> {
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
  input: CreateIntegrationRequest,
): Promise<IntegrationView> {
  authorize(ctx, "integrations:manage");
  // A connector's fixed credential fields (Shopify's header name) are filled in before the full check.
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
      const created = toView(row, credentialsViewOf(ctx.deps, row), "closed");
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

/**
 * The tenant's integrations (credentials' type, non-secret fields and hints, OAuth2 status; the
 * breaker state across the runtime processes). Needs `integrations:manage`.
 */
export async function listIntegrations(ctx: ServiceContext): Promise<IntegrationView[]> {
  authorize(ctx, "integrations:manage");
  const rows = await tenantDb(ctx).integration.findMany({ orderBy: { name: "asc" } });
  return Promise.all(rows.map((row) => viewOf(ctx.deps, row)));
}

/** One integration (as {@link listIntegrations} shows it). Needs `integrations:manage`. */
export async function getIntegration(ctx: ServiceContext, integrationId: string): Promise<IntegrationView> {
  authorize(ctx, "integrations:manage");
  return viewOf(ctx.deps, await loadIntegration(ctx, integrationId));
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
  const breaker = await breakerStateOf(ctx.deps, ctx.tenantId, before.id);
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
      const updated = toView(row, credentialsViewOf(ctx.deps, row), breaker);
      await recordAudit(tx, ctx, {
        action: "integration.update",
        targetType: "integration",
        targetId: before.id,
        before: toView(before, credentialsViewOf(ctx.deps, before), breaker),
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
  const breaker = await breakerStateOf(ctx.deps, ctx.tenantId, before.id);
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.integration.delete({ where: { id: before.id } });
    await recordAudit(tx, ctx, {
      action: "integration.delete",
      targetType: "integration",
      targetId: before.id,
      before: toView(before, credentialsViewOf(ctx.deps, before), breaker),
    });
  });
  await configChanged(ctx.deps);
}
