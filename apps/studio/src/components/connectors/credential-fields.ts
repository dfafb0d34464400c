/** The fields each credential type asks for, by its REST name (the integration's `credentials`). */
export const credentialFields: Record<
  string,
  { name: string; label: string; secret?: boolean; hint?: string }[]
> = {
  bearer: [{ name: "token", label: "Token", secret: true }],
  basic: [
    { name: "username", label: "Username" },
    { name: "password", label: "Password", secret: true },
  ],
  header: [
    { name: "name", label: "Header name" },
    { name: "value", label: "Header value", secret: true },
  ],
  "api-key": [
    { name: "name", label: "Parameter or header name" },
    { name: "value", label: "API key", secret: true },
    { name: "in", label: "Sent in", hint: "header or query" },
  ],
  hmac: [
    { name: "secret", label: "Signing secret", secret: true },
    { name: "header", label: "Signature header" },
  ],
  "oauth2-client-credentials": [
    { name: "tokenUrl", label: "Token URL" },
    { name: "clientId", label: "Client id" },
    { name: "clientSecret", label: "Client secret", secret: true },
    { name: "scopes", label: "Scopes", hint: "space-separated" },
  ],
  "oauth2-authorization-code": [
    { name: "authorizeUrl", label: "Authorize URL" },
    { name: "tokenUrl", label: "Token URL" },
    { name: "clientId", label: "Client id" },
    { name: "clientSecret", label: "Client secret", secret: true },
    { name: "scopes", label: "Scopes", hint: "space-separated" },
  ],
};

/** Form values as the API takes them (`scopes` as a list). */
export function credentialsOf(type: string, values: Record<string, string>): Record<string, unknown> {
  const credentials: Record<string, unknown> = { type };
  for (const field of credentialFields[type] ?? []) {
    const value = values[field.name]?.trim() ?? "";
    if (value === "") continue;
    credentials[field.name] = field.name === "scopes" ? value.split(/\s+/) : value;
  }
  return credentials;
}
