import type { ConnectorDefinition, ConnectorView } from "@parley/contract";
import { authorize, type ServiceContext } from "../context";
import { notFound, ServiceError } from "../errors";
import { loadConnectorDefinition } from "./definition-loader";
import { airtable } from "./definitions/airtable";
import { calendly } from "./definitions/calendly";
import { freshdesk } from "./definitions/freshdesk";
import { googleSheets } from "./definitions/google-sheets";
import { hubspot } from "./definitions/hubspot";
import { notion } from "./definitions/notion";
import { outboundWebhook } from "./definitions/outbound-webhook";
import { salesforce } from "./definitions/salesforce";
import { shopify } from "./definitions/shopify";
import { stripe } from "./definitions/stripe";
import { twilioSms } from "./definitions/twilio-sms";
import { zendesk } from "./definitions/zendesk";

/** The shipped connector definitions, as written (data; validated when the catalogue loads). */
export const shippedConnectorDefinitions: readonly unknown[] = [
  hubspot,
  salesforce,
  zendesk,
  freshdesk,
  shopify,
  stripe,
  googleSheets,
  airtable,
  notion,
  calendly,
  twilioSms,
  outboundWebhook,
];

/**
 * Validates definitions into a catalogue keyed by id; a definition with a mistake (or a repeated id)
 * is refused here, at load, with the path of the mistake.
 */
export function buildCatalogue(definitions: readonly unknown[]): ReadonlyMap<string, ConnectorDefinition> {
  const catalogue = new Map<string, ConnectorDefinition>();
  for (const raw of definitions) {
    const definition = loadConnectorDefinition(raw);
    if (catalogue.has(definition.id)) throw new Error(`connector id "${definition.id}" is defined twice`);
    catalogue.set(definition.id, definition);
  }
  return catalogue;
}

let loaded: ReadonlyMap<string, ConnectorDefinition> | undefined;

/** The shipped catalogue (validated on first use, once per process). */
export function connectorCatalogue(): ReadonlyMap<string, ConnectorDefinition> {
  loaded ??= buildCatalogue(shippedConnectorDefinitions);
  return loaded;
}

/** A connector by id, or undefined (internal: integrations and the http port resolve through it). */
export function connectorById(id: string): ConnectorDefinition | undefined {
  return connectorCatalogue().get(id);
}

/** A definition as the API shows it. */
export function toConnectorView(definition: ConnectorDefinition): ConnectorView {
  return {
    id: definition.id,
    name: definition.name,
    description: definition.description,
    docsUrl: definition.docsUrl,
    baseUrl: definition.baseUrl,
    auth: definition.auth,
    settings: definition.settings,
    operations: definition.operations.map((operation) => ({
      id: operation.id,
      name: operation.name,
      description: operation.description,
      method: operation.method,
      path: operation.path,
      inputs: operation.inputs,
      docsUrl: operation.docsUrl,
    })),
  };
}

function matches(definition: ConnectorDefinition, search: string): boolean {
  const needle = search.toLowerCase();
  const haystack = [
    definition.id,
    definition.name,
    definition.description,
    definition.auth.type,
    ...definition.operations.flatMap((operation) => [operation.id, operation.name, operation.description]),
  ];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

/**
 * The connector catalogue, by name; `search` matches names, descriptions and operations. Needs
 * `flows:read` (flow designers pick operations from it).
 */
export function listConnectors(
  ctx: ServiceContext,
  query: { search?: string | undefined } = {},
): ConnectorView[] {
  authorize(ctx, "flows:read");
  const all = [...connectorCatalogue().values()];
  const found = query.search ? all.filter((definition) => matches(definition, query.search as string)) : all;
  return found.sort((a, b) => a.name.localeCompare(b.name)).map(toConnectorView);
}

/** One connector with its operations. Needs `flows:read`. */
export function getConnector(ctx: ServiceContext, connectorId: string): ConnectorView {
  authorize(ctx, "flows:read");
  const definition = connectorById(connectorId);
  if (!definition) throw notFound("connector", connectorId);
  return toConnectorView(definition);
}

/** The connector of a create-from-connector request, or an `invalid` error at `connector`. */
export function requireConnector(connectorId: string): ConnectorDefinition {
  const definition = connectorById(connectorId);
  if (!definition) {
    throw new ServiceError("invalid", "unknown-connector", `there is no connector "${connectorId}"`, {
      errors: [{ path: "connector", message: `unknown connector (see GET /api/v1/connectors)` }],
    });
  }
  return definition;
}
