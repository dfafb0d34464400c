import {
  type ConnectorDefinition,
  type CreateIntegrationRequest,
  type createIntegrationInputSchema,
  type IntegrationCredentials,
  integrationConfigSchema,
} from "@parley/contract";
import type { z } from "zod";
import { type FieldIssue, issuesOf, ServiceError } from "../errors";
import { connectorById, requireConnector } from "./catalogue";

type CreateData = z.output<typeof createIntegrationInputSchema>;

/**
 * A create-from-connector request with the connector's fixed credential fields filled in (e.g. the
 * Shopify header name, Freshdesk's `X` password), when the credentials use the connector's own type.
 */
export function withConnectorCredentialDefaults(
  input: CreateIntegrationRequest,
): z.input<typeof createIntegrationInputSchema> {
  const filled = input as z.input<typeof createIntegrationInputSchema>;
  if (!input.connector || !input.credentials) return filled;
  const definition = connectorById(input.connector);
  if (!definition || input.credentials.type !== definition.auth.type) return filled;
  // Given values win: a Salesforce sandbox org authorizes at test.salesforce.com, not login.
  return {
    ...filled,
    credentials: { ...definition.auth.fixed, ...input.credentials } as typeof filled.credentials,
  };
}

const invalid = (message: string, errors: FieldIssue[]) =>
  new ServiceError("invalid", "invalid-input", `invalid integration: ${message}`, { errors });

function checkCredentials(definition: ConnectorDefinition, credentials: IntegrationCredentials | undefined) {
  const accepted = [definition.auth.type, ...definition.auth.alternatives];
  if (!credentials) {
    if (definition.auth.optional) return;
    throw invalid(`${definition.name} needs credentials`, [
      { path: "credentials", message: `required: ${accepted.join(" or ")} credentials` },
    ]);
  }
  if (!(accepted as string[]).includes(credentials.type)) {
    throw invalid(`${definition.name} takes ${accepted.join(" or ")} credentials`, [
      { path: "credentials.type", message: `must be ${accepted.map((type) => `"${type}"`).join(" or ")}` },
    ]);
  }
}

function settingValues(
  definition: ConnectorDefinition,
  given: Record<string, string>,
): Record<string, string> {
  const errors: FieldIssue[] = [];
  for (const name of Object.keys(given)) {
    if (!definition.settings.some((setting) => setting.name === name)) {
      errors.push({ path: `settings.${name}`, message: `${definition.name} has no setting "${name}"` });
    }
  }
  const values: Record<string, string> = {};
  for (const setting of definition.settings) {
    const value = given[setting.name]?.trim() || setting.default;
    if (value === undefined || value === "") {
      if (setting.required)
        errors.push({ path: `settings.${setting.name}`, message: `required (${setting.label})` });
      continue;
    }
    if (!new RegExp(`^(?:${setting.pattern})$`).test(value)) {
      errors.push({
        path: `settings.${setting.name}`,
        message: `"${value}" is not a valid ${setting.label}${setting.help ? ` (${setting.help})` : ""}`,
      });
      continue;
    }
    values[setting.name] = value;
  }
  if (errors.length > 0) throw invalid(errors.map((e) => `${e.path}: ${e.message}`).join("; "), errors);
  return values;
}

/**
 * The stored config of an integration created from a connector: the base URL with the settings
 * filled in (or the request's `baseUrl` override, e.g. a vendor sandbox), the connector's headers,
 * and the connector id and settings (so http nodes can call its operations). Refuses an unknown
 * connector, missing or malformed settings and credentials of a type the connector does not take,
 * each with the path of the field.
 */
export function connectorIntegrationConfig(data: CreateData) {
  const definition = requireConnector(data.connector as string);
  checkCredentials(definition, data.credentials);
  const settings = settingValues(definition, data.settings ?? {});
  const baseUrl =
    data.baseUrl ??
    definition.baseUrl.replace(
      /\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (_whole, name: string) => settings[name] ?? "",
    );
  const parsed = integrationConfigSchema.safeParse({
    baseUrl,
    headers: definition.headers,
    connector: definition.id,
    connectorSettings: settings,
  });
  if (!parsed.success) {
    throw invalid(
      "the connector's base URL is not valid with these settings",
      issuesOf(parsed.error).map((issue) => ({
        ...issue,
        path: issue.path.startsWith("baseUrl")
          ? "baseUrl"
          : issue.path.replace(/^connectorSettings/, "settings"),
      })),
    );
  }
  return parsed.data;
}
