import type { IntegrationCredentialType } from "@parley/contract";

/** One input of a credentials form. */
export interface CredentialField {
  name: string;
  label: string;
  secret?: boolean;
  choices?: readonly string[];
  optional?: boolean;
  hint?: string;
}

/** The inputs of each credential type, in the order the form shows them. */
export const CREDENTIAL_FIELDS: Record<IntegrationCredentialType, readonly CredentialField[]> = {
  bearer: [{ name: "token", label: "Token", secret: true }],
  basic: [
    { name: "username", label: "Username" },
    { name: "password", label: "Password", secret: true },
  ],
  header: [
    { name: "name", label: "Header name", hint: "e.g. X-Api-Key" },
    { name: "value", label: "Header value", secret: true },
  ],
  "api-key": [
    { name: "name", label: "Parameter or header name", hint: "e.g. api_key or X-Api-Key" },
    { name: "value", label: "Key", secret: true },
    { name: "in", label: "Send in", choices: ["header", "query"] },
  ],
  hmac: [
    { name: "secret", label: "Signing secret", secret: true },
    { name: "header", label: "Signature header", hint: "Carries sha256=<hex HMAC of the raw body>" },
    { name: "algorithm", label: "Algorithm", choices: ["sha256", "sha512", "sha1"] },
  ],
  "oauth2-client-credentials": [
    { name: "tokenUrl", label: "Token URL" },
    { name: "clientId", label: "Client id" },
    { name: "clientSecret", label: "Client secret", secret: true },
    { name: "scopes", label: "Scopes", optional: true, hint: "Separated by spaces" },
    { name: "audience", label: "Audience", optional: true },
    { name: "clientAuth", label: "Client authentication", choices: ["basic", "body"] },
  ],
  "oauth2-authorization-code": [
    { name: "authorizeUrl", label: "Authorization URL" },
    { name: "tokenUrl", label: "Token URL" },
    { name: "clientId", label: "Client id" },
    { name: "clientSecret", label: "Client secret", secret: true },
    { name: "scopes", label: "Scopes", optional: true, hint: "Separated by spaces" },
  ],
};

/** The credentials object a form's values describe (empty optional fields left out). */
export function credentialsFrom(type: IntegrationCredentialType, values: Record<string, string>) {
  const credentials: Record<string, unknown> = { type };
  for (const field of CREDENTIAL_FIELDS[type]) {
    const value = values[field.name] ?? field.choices?.[0] ?? "";
    if (field.optional && !value.trim()) continue;
    credentials[field.name] = field.name === "scopes" ? value.split(/\s+/).filter(Boolean) : value;
  }
  return credentials;
}
