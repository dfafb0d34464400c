import {
  type IntegrationAuthStatus,
  type IntegrationCredentials,
  type IntegrationView,
  integrationCredentialsSchema,
} from "@parley/contract";
import { type SecretVault, secretBinding } from "@parley/infra";

/** Where an integration's credentials are bound in the vault (tenant, table, row, field). */
export const credentialsBinding = (tenantId: string, integrationId: string) =>
  secretBinding({ tenantId, table: "Integration", rowId: integrationId, field: "credentials" });

/** Tokens of an OAuth2 authorization-code integration, kept encrypted with its credentials. */
export interface StoredOAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; absent when the server gave no lifetime. */
  expiresAt?: number;
}

/**
 * What the vault holds for an integration: the credentials the user typed and, for the OAuth2
 * authorization code, the tokens and the connection status (refresh revoked: reconnect needed).
 */
export interface StoredCredentials {
  credentials: IntegrationCredentials;
  tokens?: StoredOAuthTokens;
  connection?: { status: IntegrationAuthStatus; detail?: string };
}

/** Decrypts and parses an integration's stored credentials. */
export function readStoredCredentials(
  vault: SecretVault,
  tenantId: string,
  integrationId: string,
  ciphertext: string,
): StoredCredentials {
  const plain = vault.decrypt(ciphertext, credentialsBinding(tenantId, integrationId));
  const { tokens, connection, ...credentials } = JSON.parse(plain) as Record<string, unknown>;
  return {
    credentials: integrationCredentialsSchema.parse(credentials),
    ...(tokens ? { tokens: tokens as StoredOAuthTokens } : {}),
    ...(connection ? { connection: connection as StoredCredentials["connection"] } : {}),
  };
}

/** Encrypts stored credentials for the integration's row (ciphertext and key id). */
export function encryptStoredCredentials(
  vault: SecretVault,
  tenantId: string,
  integrationId: string,
  stored: StoredCredentials,
) {
  const plain = JSON.stringify({
    ...stored.credentials,
    ...(stored.tokens ? { tokens: stored.tokens } : {}),
    ...(stored.connection ? { connection: stored.connection } : {}),
  });
  const ciphertext = vault.encrypt(plain, credentialsBinding(tenantId, integrationId));
  return { credentialsCiphertext: ciphertext, credentialsKeyId: vault.keyIdOf(ciphertext) };
}

/** The secret fields of each credential type (everything else is shown as is). */
const SECRET_FIELDS = new Set(["token", "password", "value", "secret", "clientSecret"]);

/** "set …abcd": enough to recognise a secret, never enough to use it. */
export function secretHint(secret: string): string {
  return secret.length >= 12 ? `set …${secret.slice(-4)}` : "set";
}

/** The credentials as the API shows them: non-secret fields, hints for secrets, OAuth2 status. */
export function credentialsView(
  stored: StoredCredentials,
  liveStatus?: { status: IntegrationAuthStatus; detail?: string },
): NonNullable<IntegrationView["credentials"]> {
  const { type, ...rest } = stored.credentials;
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    fields[name] = SECRET_FIELDS.has(name) ? secretHint(String(value)) : (value as string | string[]);
  }
  const view: NonNullable<IntegrationView["credentials"]> = { type, fields };
  if (type === "oauth2-authorization-code") {
    const status = stored.connection?.status ?? (stored.tokens ? "connected" : "not-connected");
    const live = status === "connected" && liveStatus?.status === "token-refresh-failed" ? liveStatus : null;
    view.status = live?.status ?? status;
    const detail = live?.detail ?? stored.connection?.detail;
    if (detail) view.statusDetail = detail;
  } else if (type === "oauth2-client-credentials" && liveStatus) {
    view.status = liveStatus.status;
    if (liveStatus.detail) view.statusDetail = liveStatus.detail;
  }
  return view;
}

/** Every secret string of stored credentials (to redact wherever they could echo). */
export function secretsOf(stored: StoredCredentials): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(stored.credentials)) {
    if (SECRET_FIELDS.has(name) && typeof value === "string") secrets.push(value);
  }
  if (stored.tokens?.accessToken) secrets.push(stored.tokens.accessToken);
  if (stored.tokens?.refreshToken) secrets.push(stored.tokens.refreshToken);
  return secrets.filter((secret) => secret.length >= 4);
}
