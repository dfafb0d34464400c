import type { ChannelView } from "@parley/contract";
import type { ChannelConfig } from "@parley/db";
import { secretBinding } from "@parley/infra";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import type { PlatformConnection, PlatformHttp, PlatformType } from "./platform-adapter";

/** Where a channel's credentials are bound in the vault (tenant, table, row, field). */
export const channelCredentialsBinding = (tenantId: string, channelId: string) =>
  secretBinding({ tenantId, table: "ChannelConfig", rowId: channelId, field: "credentials" });

/** The vault, or an `unavailable` error saying which variable is missing (internal). */
export function channelVault(deps: CoreDeps) {
  if (!deps.vault) {
    throw new ServiceError(
      "unavailable",
      "vault-unavailable",
      "channel credentials need the secret key (PARLEY_SECRET_KEY) to be configured",
    );
  }
  return deps.vault;
}

/** The guarded outbound fetch every platform call goes through (internal). */
export function platformHttp(deps: CoreDeps): PlatformHttp {
  if (!deps.http) {
    throw new ServiceError(
      "unavailable",
      "outbound-http-unavailable",
      "this process has no outbound HTTP client to reach messaging platforms",
    );
  }
  return deps.http.fetch;
}

/** The URL a platform calls for channel `channelId`, on the runtime's public base URL. */
export function channelWebhookUrl(deps: CoreDeps, channelId: string): string {
  const base = (deps.runtimePublicUrl ?? "http://localhost:4000").replace(/\/+$/, "");
  return `${base}/api/v1/channels/${channelId}/webhook`;
}

/** Encrypts credentials for a channel row (internal). */
export function encryptCredentials(
  deps: CoreDeps,
  tenantId: string,
  channelId: string,
  credentials: unknown,
) {
  const vault = channelVault(deps);
  const ciphertext = vault.encrypt(
    JSON.stringify(credentials),
    channelCredentialsBinding(tenantId, channelId),
  );
  return { credentialsCiphertext: ciphertext, credentialsKeyId: vault.keyIdOf(ciphertext) };
}

/** A stored channel, decrypted for its adapter (internal). */
export function connectionOf(deps: CoreDeps, row: ChannelConfig): PlatformConnection<unknown, unknown> {
  const credentials = row.credentialsCiphertext
    ? JSON.parse(
        channelVault(deps).decrypt(
          row.credentialsCiphertext,
          channelCredentialsBinding(row.tenantId, row.id),
        ),
      )
    : {};
  return {
    channelId: row.id,
    credentials,
    settings: (row.config ?? {}) as Record<string, unknown>,
    webhookUrl: channelWebhookUrl(deps, row.id),
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The API's view of a channel: never its credentials. */
export function channelViewOf(deps: CoreDeps, row: ChannelConfig): ChannelView {
  // A failure stands until a reply is delivered after it.
  const failedLast =
    row.lastErrorAt !== null && row.lastErrorAt.getTime() >= (row.lastOutboundAt?.getTime() ?? 0);
  return {
    id: row.id,
    botId: row.botId,
    type: row.channel as PlatformType,
    name: row.name,
    status: !row.enabled ? "disabled" : failedLast ? "error" : "active",
    enabled: row.enabled,
    webhookUrl: channelWebhookUrl(deps, row.id),
    settings: (row.config ?? {}) as Record<string, unknown>,
    lastInboundAt: iso(row.lastInboundAt),
    lastOutboundAt: iso(row.lastOutboundAt),
    lastError: row.lastError,
    lastErrorAt: iso(row.lastErrorAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
