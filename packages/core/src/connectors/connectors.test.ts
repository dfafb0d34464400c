import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { startConversation } from "../conversations/conversations";
import { ServiceError } from "../errors";
import { createFlow, publishFlow, saveFlowDraft } from "../flows/flows";
import { integrationHttpPort } from "../integrations/integration-http";
import { createIntegration } from "../integrations/integrations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import {
  buildCatalogue,
  connectorCatalogue,
  getConnector,
  listConnectors,
  shippedConnectorDefinitions,
} from "./catalogue";
import { ConnectorDefinitionError, loadConnectorDefinition } from "./definition-loader";
import { hubspot } from "./definitions/hubspot";

/** A request the vendor stand-in received. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local server answering like the vendors' documented examples: `answers` maps
 * "METHOD /path" (path without query) to a status and JSON body.
 */
async function vendorServer(answers: Record<string, { status: number; body: unknown }>) {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = request.url ?? "";
      seen.push({
        method: request.method ?? "",
        url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = answers[`${request.method} ${url.split("?")[0]}`];
      response.writeHead(answer?.status ?? 404, { "content-type": "application/json" });
      response.end(JSON.stringify(answer?.body ?? { error: "not found" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** One operation case: the integration to create, the node's inputs, what the vendor must see, what it answers. */
interface OperationCase {
  connector: string;
  operation: string;
  /** Base URL path on the stand-in (the vendor's API prefix). */
  prefix: string;
  settings?: Record<string, string>;
  credentials?: Record<string, string>;
  inputs: Record<string, string>;
  expect: {
    method: string;
    path: string;
    query?: Record<string, string>;
    authorization?: string;
    header?: [string, string];
    json?: unknown;
    form?: string;
  };
  answer: { status: number; body: unknown };
  mapped: unknown;
}

const TWILIO_SID = "AC0123456789abcdef0123456789abcdef";

/** Per connector and operation: requests and answers as the vendors document them. */
const cases: OperationCase[] = [
  {
    connector: "hubspot",
    operation: "create-contact",
    prefix: "",
    credentials: { type: "bearer", token: "pat-na1-1234" },
    inputs: { email: "ada@example.com", firstname: "Ada", lastname: "" },
    expect: {
      method: "POST",
      path: "/crm/v3/objects/contacts",
      authorization: "Bearer pat-na1-1234",
      json: { properties: { email: "ada@example.com", firstname: "Ada" } },
    },
    answer: {
      status: 201,
      body: {
        id: "512",
        properties: { createdate: "2024-01-01T00:00:00.000Z", email: "ada@example.com", firstname: "Ada" },
        createdAt: "2024-01-01T00:00:00.000Z",
        updatedAt: "2024-01-01T00:00:00.000Z",
        archived: false,
      },
    },
    mapped: { id: "512", email: "ada@example.com", createdAt: "2024-01-01T00:00:00.000Z" },
  },
  {
    connector: "hubspot",
    operation: "search-contacts",
    prefix: "",
    credentials: { type: "bearer", token: "pat-na1-1234" },
    inputs: { email: "ada@example.com" },
    expect: {
      method: "POST",
      path: "/crm/v3/objects/contacts/search",
      authorization: "Bearer pat-na1-1234",
      json: {
        filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: "ada@example.com" }] }],
        properties: ["email", "firstname", "lastname", "phone"],
        limit: 10,
      },
    },
    answer: {
      status: 200,
      body: {
        total: 1,
        results: [
          {
            id: "512",
            properties: { email: "ada@example.com", firstname: "Ada", lastname: "Lovelace" },
            archived: false,
          },
        ],
      },
    },
    mapped: {
      total: 1,
      contacts: [{ id: "512", email: "ada@example.com", firstname: "Ada", lastname: "Lovelace" }],
    },
  },
  {
    connector: "salesforce",
    operation: "create-lead",
    prefix: "/services/data/v60.0",
    settings: { myDomain: "acme" },
    credentials: { type: "bearer", token: "00Dxx!AQ0AQ-token" },
    inputs: { LastName: "Lovelace", Company: "Analytical Engines", Email: "ada@example.com" },
    expect: {
      method: "POST",
      path: "/services/data/v60.0/sobjects/Lead",
      authorization: "Bearer 00Dxx!AQ0AQ-token",
      json: {
        LastName: "Lovelace",
        Company: "Analytical Engines",
        Email: "ada@example.com",
        LeadSource: "Chat",
      },
    },
    answer: { status: 201, body: { id: "00Q5e000001abcdEAA", errors: [], success: true } },
    mapped: { id: "00Q5e000001abcdEAA", success: true },
  },
  {
    connector: "salesforce",
    operation: "query",
    prefix: "/services/data/v60.0",
    settings: { myDomain: "acme" },
    credentials: { type: "bearer", token: "00Dxx!AQ0AQ-token" },
    inputs: { q: "SELECT Id, Name FROM Account" },
    expect: {
      method: "GET",
      path: "/services/data/v60.0/query",
      query: { q: "SELECT Id, Name FROM Account" },
      authorization: "Bearer 00Dxx!AQ0AQ-token",
    },
    answer: {
      status: 200,
      body: {
        totalSize: 1,
        done: true,
        records: [
          {
            attributes: { type: "Account", url: "/services/data/v60.0/sobjects/Account/001D000000IRFmaIAH" },
            Id: "001D000000IRFmaIAH",
            Name: "Test 1",
          },
        ],
      },
    },
    mapped: { totalSize: 1, records: [{ Id: "001D000000IRFmaIAH", Name: "Test 1" }] },
  },
  {
    connector: "zendesk",
    operation: "create-ticket",
    prefix: "/api/v2",
    settings: { subdomain: "acme" },
    credentials: { type: "basic", username: "jane@acme.com/token", password: "zd-api-token" },
    inputs: {
      subject: "Printer on fire",
      comment: "It smokes",
      requesterEmail: "ada@example.com",
      priority: "urgent",
    },
    expect: {
      method: "POST",
      path: "/api/v2/tickets.json",
      authorization: basic("jane@acme.com/token", "zd-api-token"),
      json: {
        ticket: {
          subject: "Printer on fire",
          comment: { body: "It smokes" },
          priority: "urgent",
          requester: { name: "ada@example.com", email: "ada@example.com" },
        },
      },
    },
    answer: {
      status: 201,
      body: {
        ticket: {
          id: 35436,
          status: "new",
          subject: "Printer on fire",
          url: "https://acme.zendesk.com/api/v2/tickets/35436.json",
        },
      },
    },
    mapped: { id: 35436, status: "new", url: "https://acme.zendesk.com/api/v2/tickets/35436.json" },
  },
  {
    connector: "freshdesk",
    operation: "create-ticket",
    prefix: "/api/v2",
    settings: { domain: "acme" },
    credentials: { type: "basic", username: "fd-api-key" },
    inputs: { email: "ada@example.com", subject: "Help", description: "<p>Broken</p>", priority: "3" },
    expect: {
      method: "POST",
      path: "/api/v2/tickets",
      authorization: basic("fd-api-key", "X"),
      json: {
        email: "ada@example.com",
        subject: "Help",
        description: "<p>Broken</p>",
        priority: 3,
        status: 2,
        source: 7,
      },
    },
    answer: { status: 201, body: { id: 1, status: 2, priority: 3, subject: "Help", requester_id: 129 } },
    mapped: { id: 1, status: 2, priority: 3 },
  },
  {
    connector: "shopify",
    operation: "get-order",
    prefix: "/admin/api/2024-10",
    settings: { shop: "acme" },
    credentials: { type: "header", value: "shpat_0123" },
    inputs: { orderId: "450789469" },
    expect: {
      method: "GET",
      path: "/admin/api/2024-10/orders/450789469.json",
      header: ["x-shopify-access-token", "shpat_0123"],
    },
    answer: {
      status: 200,
      body: {
        order: {
          id: 450789469,
          name: "#1001",
          email: "bob.norman@mail.example.com",
          financial_status: "partially_refunded",
          fulfillment_status: null,
          total_price: "598.94",
          currency: "USD",
        },
      },
    },
    mapped: {
      id: 450789469,
      name: "#1001",
      email: "bob.norman@mail.example.com",
      financialStatus: "partially_refunded",
      fulfillmentStatus: null,
      total: "598.94",
      currency: "USD",
    },
  },
  {
    connector: "stripe",
    operation: "create-customer",
    prefix: "/v1",
    credentials: { type: "bearer", token: "sk_test_4eC39HqLyjWDarjtT1zdp7dc" },
    inputs: { email: "jenny.rosen@example.com", name: "Jenny Rosen", conversationId: "c-1" },
    expect: {
      method: "POST",
      path: "/v1/customers",
      authorization: "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc",
      form: "email=jenny.rosen%40example.com&name=Jenny+Rosen&metadata%5Bconversation_id%5D=c-1",
    },
    answer: {
      status: 200,
      body: {
        id: "cus_NffrFeUfNV2Hib",
        object: "customer",
        email: "jenny.rosen@example.com",
        name: "Jenny Rosen",
      },
    },
    mapped: { id: "cus_NffrFeUfNV2Hib", email: "jenny.rosen@example.com", name: "Jenny Rosen" },
  },
  {
    connector: "stripe",
    operation: "retrieve-payment-intent",
    prefix: "/v1",
    credentials: { type: "bearer", token: "sk_test_4eC39HqLyjWDarjtT1zdp7dc" },
    inputs: { id: "pi_3MtwBwLkdIwHu7ix28a3tqPa" },
    expect: {
      method: "GET",
      path: "/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa",
      authorization: "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    },
    answer: {
      status: 200,
      body: {
        id: "pi_3MtwBwLkdIwHu7ix28a3tqPa",
        object: "payment_intent",
        amount: 2000,
        currency: "usd",
        status: "requires_payment_method",
      },
    },
    mapped: {
      id: "pi_3MtwBwLkdIwHu7ix28a3tqPa",
      status: "requires_payment_method",
      amount: 2000,
      currency: "usd",
    },
  },
  {
    connector: "google-sheets",
    operation: "append-row",
    prefix: "/v4/spreadsheets",
    credentials: { type: "bearer", token: "ya29.a0-token" },
    inputs: {
      spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms",
      range: "Leads!A1",
      values: '["Ada", "ada@example.com"]',
    },
    expect: {
      method: "POST",
      path: "/v4/spreadsheets/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/values/Leads!A1:append",
      query: { valueInputOption: "USER_ENTERED" },
      authorization: "Bearer ya29.a0-token",
      json: { majorDimension: "ROWS", values: [["Ada", "ada@example.com"]] },
    },
    answer: {
      status: 200,
      body: {
        spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms",
        tableRange: "Leads!A1:B4",
        updates: { updatedRange: "Leads!A5:B5", updatedRows: 1, updatedColumns: 2, updatedCells: 2 },
      },
    },
    mapped: { updatedRange: "Leads!A5:B5", updatedRows: 1 },
  },
  {
    connector: "airtable",
    operation: "create-record",
    prefix: "/v0/appABCDEFGHIJKLMN",
    settings: { baseId: "appABCDEFGHIJKLMN" },
    credentials: { type: "bearer", token: "patXYZ.123" },
    inputs: { table: "Leads", fields: '{"Name": "Ada", "Email": "ada@example.com"}' },
    expect: {
      method: "POST",
      path: "/v0/appABCDEFGHIJKLMN/Leads",
      authorization: "Bearer patXYZ.123",
      json: { fields: { Name: "Ada", Email: "ada@example.com" }, typecast: false },
    },
    answer: {
      status: 200,
      body: {
        id: "rec560UJdUtocSouk",
        createdTime: "2022-09-12T21:03:48.000Z",
        fields: { Name: "Ada", Email: "ada@example.com" },
      },
    },
    mapped: {
      id: "rec560UJdUtocSouk",
      createdTime: "2022-09-12T21:03:48.000Z",
      fields: { Name: "Ada", Email: "ada@example.com" },
    },
  },
  {
    connector: "airtable",
    operation: "list-records",
    prefix: "/v0/appABCDEFGHIJKLMN",
    settings: { baseId: "appABCDEFGHIJKLMN" },
    credentials: { type: "bearer", token: "patXYZ.123" },
    inputs: { table: "Leads Table", filterByFormula: "{Email} = 'ada@example.com'" },
    expect: {
      method: "GET",
      path: "/v0/appABCDEFGHIJKLMN/Leads%20Table",
      query: { filterByFormula: "{Email} = 'ada@example.com'", maxRecords: "10" },
      authorization: "Bearer patXYZ.123",
    },
    answer: {
      status: 200,
      body: {
        records: [
          { id: "rec560UJdUtocSouk", createdTime: "2022-09-12T21:03:48.000Z", fields: { Name: "Ada" } },
        ],
      },
    },
    mapped: { records: [{ id: "rec560UJdUtocSouk", fields: { Name: "Ada" } }] },
  },
  {
    connector: "notion",
    operation: "create-database-page",
    prefix: "/v1",
    credentials: { type: "bearer", token: "secret_notion" },
    inputs: {
      databaseId: "d9824bdc84454327be8b5b47500af6ce",
      title: "Ada Lovelace",
      properties: '{"Email": {"email": "ada@example.com"}}',
    },
    expect: {
      method: "POST",
      path: "/v1/pages",
      authorization: "Bearer secret_notion",
      header: ["notion-version", "2022-06-28"],
      json: {
        parent: { database_id: "d9824bdc84454327be8b5b47500af6ce" },
        properties: {
          Email: { email: "ada@example.com" },
          Name: { title: [{ text: { content: "Ada Lovelace" } }] },
        },
      },
    },
    answer: {
      status: 200,
      body: {
        object: "page",
        id: "59833787-2cf9-4fdf-8782-e53db20768a5",
        url: "https://www.notion.so/Ada-598337872cf94fdf8782e53db20768a5",
      },
    },
    mapped: {
      id: "59833787-2cf9-4fdf-8782-e53db20768a5",
      url: "https://www.notion.so/Ada-598337872cf94fdf8782e53db20768a5",
    },
  },
  {
    connector: "calendly",
    operation: "list-event-types",
    prefix: "",
    credentials: { type: "bearer", token: "eyJraWQiOi-calendly" },
    inputs: { user: "https://api.calendly.com/users/AAAAAAAAAAAAAAAA" },
    expect: {
      method: "GET",
      path: "/event_types",
      query: { user: "https://api.calendly.com/users/AAAAAAAAAAAAAAAA", active: "true", count: "20" },
      authorization: "Bearer eyJraWQiOi-calendly",
    },
    answer: {
      status: 200,
      body: {
        collection: [
          {
            uri: "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA",
            name: "15 Minute Meeting",
            active: true,
            duration: 15,
            scheduling_url: "https://calendly.com/acmesales",
          },
        ],
        pagination: { count: 1, next_page: null },
      },
    },
    mapped: {
      eventTypes: [
        {
          uri: "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA",
          name: "15 Minute Meeting",
          duration: 15,
          schedulingUrl: "https://calendly.com/acmesales",
        },
      ],
    },
  },
  {
    connector: "calendly",
    operation: "create-scheduling-link",
    prefix: "",
    credentials: { type: "bearer", token: "eyJraWQiOi-calendly" },
    inputs: { eventType: "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2" },
    expect: {
      method: "POST",
      path: "/scheduling_links",
      authorization: "Bearer eyJraWQiOi-calendly",
      json: {
        max_event_count: 1,
        owner: "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2",
        owner_type: "EventType",
      },
    },
    answer: {
      status: 201,
      body: {
        resource: {
          booking_url: "https://calendly.com/d/abcd-brv8/15-minute-meeting",
          owner: "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2",
          owner_type: "EventType",
        },
      },
    },
    mapped: { bookingUrl: "https://calendly.com/d/abcd-brv8/15-minute-meeting" },
  },
  {
    connector: "twilio-sms",
    operation: "send-message",
    prefix: `/2010-04-01/Accounts/${TWILIO_SID}`,
    settings: { accountSid: TWILIO_SID },
    credentials: { type: "basic", username: TWILIO_SID, password: "twilio-auth-token" },
    inputs: { To: "+15558675310", From: "+15017122661", Body: "Your order shipped" },
    expect: {
      method: "POST",
      path: `/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`,
      authorization: basic(TWILIO_SID, "twilio-auth-token"),
      form: "To=%2B15558675310&From=%2B15017122661&Body=Your+order+shipped",
    },
    answer: {
      status: 201,
      body: {
        sid: "SM1234567890abcdef1234567890abcdef",
        status: "queued",
        to: "+15558675310",
        from: "+15017122661",
        body: "Your order shipped",
      },
    },
    mapped: { sid: "SM1234567890abcdef1234567890abcdef", status: "queued", to: "+15558675310" },
  },
  {
    connector: "outbound-webhook",
    operation: "send-event",
    prefix: "/hooks/catch/123456/abcdef",
    settings: { host: "hooks.zapier.com", path: "/hooks/catch/123456/abcdef/" },
    inputs: { event: "lead.created", data: '{"email": "ada@example.com"}' },
    expect: {
      method: "POST",
      path: "/hooks/catch/123456/abcdef/",
      json: { event: "lead.created", data: { email: "ada@example.com" } },
    },
    answer: {
      status: 200,
      body: { attempt: "018e7a", id: "018e7a-1", request_id: "018e7a-2", status: "success" },
    },
    mapped: { attempt: "018e7a", id: "018e7a-1", request_id: "018e7a-2", status: "success" },
  },
];

let harness: Harness;
let deps: CoreDeps;
let vendor: Awaited<ReturnType<typeof vendorServer>>;

beforeAll(async () => {
  harness = await createHarness();
  deps = { ...harness.deps, http: createGuardedHttpClient({ allowLoopback: true }) };
  const answers: Record<string, { status: number; body: unknown }> = {};
  for (const entry of cases) answers[`${entry.expect.method} ${entry.expect.path}`] = entry.answer;
  vendor = await vendorServer(answers);
}, 60_000);
afterAll(async () => {
  await vendor?.close();
  await harness?.cleanup();
});

async function tenant(name: string): Promise<ServiceContext> {
  const seed = await seedTenant(deps, name);
  return { ...seed.ctx, deps };
}

describe("the connector catalogue", () => {
  it("ships at least 12 connectors, each valid at load, and covers every operation with a vendor-like test case", () => {
    const catalogue = buildCatalogue(shippedConnectorDefinitions);
    expect(catalogue.size).toBeGreaterThanOrEqual(12);
    for (const definition of catalogue.values()) {
      for (const operation of definition.operations) {
        expect(
          cases.some((entry) => entry.connector === definition.id && entry.operation === operation.id),
          `${definition.id}/${operation.id} has a case`,
        ).toBe(true);
      }
    }
  });

  it("refuses a broken definition at load with the path of the mistake", () => {
    const refusal = (change: (draft: Record<string, unknown> & typeof hubspot) => void) => {
      const draft = structuredClone(hubspot) as Record<string, unknown> & typeof hubspot;
      change(draft);
      try {
        loadConnectorDefinition(draft);
      } catch (error) {
        expect(error).toBeInstanceOf(ConnectorDefinitionError);
        return (error as ConnectorDefinitionError).message;
      }
      throw new Error("the definition was accepted");
    };
    expect(
      refusal((draft) => Object.assign(draft.operations[0]!.inputs[1] as object, { in: "header" })),
    ).toMatch(/"hubspot".*operations\.0\.inputs\.1\.in:/);
    expect(
      refusal((draft) =>
        Object.assign(draft.operations[1]!, { path: "/crm/v3/objects/{objectType}/search" }),
      ),
    ).toContain("operations.1.path: the placeholder {objectType} has no input");
    expect(refusal((draft) => Object.assign(draft, { baseUrl: "https://{region}.hubapi.com" }))).toContain(
      "baseUrl: the placeholder {region} is not a setting",
    );
    expect(refusal((draft) => Object.assign(draft.operations[0]!, { response: '{ "id": id ' }))).toContain(
      "operations.0.response: not a valid JSONata expression",
    );
    expect(refusal((draft) => Object.assign(draft.operations[1]!, { id: "create-contact" }))).toContain(
      'operations.1.id: "create-contact" is used twice',
    );
    expect(refusal((draft) => Object.assign(draft, { auth: { type: "oauth1" } }))).toContain("auth.type:");
    expect(() => buildCatalogue([hubspot, hubspot])).toThrow(/defined twice/);
  });

  it("lists and describes connectors with their operations, searchable", async () => {
    const ctx = await tenant("Catalogue");
    const all = listConnectors(ctx);
    expect(all.map((connector) => connector.id)).toEqual(
      expect.arrayContaining(["hubspot", "stripe", "twilio-sms"]),
    );
    const stripe = all.find((connector) => connector.id === "stripe")!;
    expect(stripe.auth.type).toBe("bearer");
    expect(stripe.operations.map((operation) => operation.id)).toEqual([
      "create-customer",
      "retrieve-payment-intent",
    ]);
    expect(
      listConnectors(ctx, { search: "ticket" })
        .map((connector) => connector.id)
        .sort(),
    ).toEqual(["freshdesk", "zendesk"]);
    expect(getConnector(ctx, "zendesk").settings[0]?.name).toBe("subdomain");
    expect(() => getConnector(ctx, "nope")).toThrow(ServiceError);
  }, 30_000);
});

describe("integrations from connectors", () => {
  it("builds the base URL from settings and refuses bad settings and credential types with the field path", async () => {
    const ctx = await tenant("FromConnector");
    const zendesk = await createIntegration(ctx, {
      name: "support",
      connector: "zendesk",
      settings: { subdomain: "acme" },
      credentials: { type: "basic", username: "jane@acme.com/token", password: "t" },
    });
    expect(zendesk.config).toMatchObject({
      baseUrl: "https://acme.zendesk.com/api/v2",
      connector: "zendesk",
      connectorSettings: { subdomain: "acme" },
    });
    const refused = async (input: Parameters<typeof createIntegration>[1]) => {
      const error = await createIntegration(ctx, input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServiceError);
      return (error as ServiceError).details.errors?.map((issue) => issue.path);
    };
    expect(
      await refused({
        name: "z2",
        connector: "zendesk",
        settings: { subdomain: "evil.com/x" },
        credentials: { type: "bearer", token: "t" },
      }),
    ).toEqual(["settings.subdomain"]);
    expect(
      await refused({ name: "z3", connector: "zendesk", credentials: { type: "bearer", token: "t" } }),
    ).toEqual(["settings.subdomain"]);
    expect(
      await refused({
        name: "z4",
        connector: "zendesk",
        settings: { subdomain: "acme" },
        credentials: { type: "header", name: "X-A", value: "v" },
      }),
    ).toEqual(["credentials.type"]);
    expect(await refused({ name: "z5", connector: "hubspot" })).toEqual(["credentials"]);
    expect(await refused({ name: "z6", connector: "nope" })).toEqual(["connector"]);
    const shopify = await createIntegration(ctx, {
      name: "shop",
      connector: "shopify",
      settings: { shop: "acme" },
      credentials: { type: "header", value: "shpat_1" } as never,
    });
    expect(shopify.credentials).toMatchObject({
      type: "header",
      fields: { name: "X-Shopify-Access-Token", value: "set" },
    });
  }, 60_000);
});

describe("every connector operation against a vendor-like server", () => {
  it.each(cases.map((entry) => [`${entry.connector}: ${entry.operation}`, entry] as const))(
    "%s",
    async (_label, entry) => {
      const ctx = await tenant(`${entry.connector}-${entry.operation}`);
      const integration = await createIntegration(ctx, {
        name: entry.connector,
        connector: entry.connector,
        baseUrl: `${vendor.url}${entry.prefix}`,
        ...(entry.settings ? { settings: entry.settings } : {}),
        ...(entry.credentials ? { credentials: entry.credentials as never } : {}),
      });
      const port = integrationHttpPort(deps, ctx.tenantId, undefined);
      const before = vendor.seen.length;
      const response = await port.request(
        {
          method: "GET",
          url: "/",
          headers: {},
          integrationId: integration.id,
          operation: entry.operation,
          inputs: entry.inputs,
        },
        { signal: AbortSignal.timeout(10_000) },
      );
      const seen = vendor.seen.slice(before);
      expect(seen).toHaveLength(1);
      const request = seen[0]!;
      const url = new URL(request.url, vendor.url);
      expect(request.method).toBe(entry.expect.method);
      expect(url.pathname).toBe(entry.expect.path);
      expect(Object.fromEntries(url.searchParams)).toEqual(entry.expect.query ?? {});
      expect(request.headers.authorization).toBe(entry.expect.authorization);
      if (entry.expect.header) expect(request.headers[entry.expect.header[0]]).toBe(entry.expect.header[1]);
      if (entry.expect.json !== undefined) {
        expect(request.headers["content-type"]).toBe("application/json");
        expect(JSON.parse(request.body)).toEqual(entry.expect.json);
      } else if (entry.expect.form !== undefined) {
        expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
        expect(request.body).toBe(entry.expect.form);
      } else {
        expect(request.body).toBe("");
      }
      expect(response.status).toBe(entry.answer.status);
      expect(JSON.parse(response.body)).toEqual(entry.mapped);
    },
    30_000,
  );

  it("fails an operation with a missing required input or a badly typed one before calling", async () => {
    const ctx = await tenant("BadInputs");
    const integration = await createIntegration(ctx, {
      name: "crm",
      connector: "hubspot",
      baseUrl: vendor.url,
      credentials: { type: "bearer", token: "t" },
    });
    const port = integrationHttpPort(deps, ctx.tenantId, undefined);
    const call = (operation: string, inputs: Record<string, string>) =>
      port.request(
        { method: "GET", url: "/", headers: {}, integrationId: integration.id, operation, inputs },
        { signal: AbortSignal.timeout(5_000) },
      );
    const before = vendor.seen.length;
    await expect(call("create-contact", {})).rejects.toThrow('the input "email" is required');
    await expect(call("create-contact", { email: "not-an-address" })).rejects.toThrow(
      "not an e-mail address",
    );
    await expect(call("search-contacts", { email: "a@b.c", limit: "many" })).rejects.toThrow("not a number");
    await expect(call("delete-everything", {})).rejects.toThrow('has no operation "delete-everything"');
    expect(vendor.seen.length).toBe(before);
  }, 30_000);
});

describe("an http node naming an operation", () => {
  const at = { x: 0, y: 0 };
  const document = (operation: string, inputs: Record<string, string>) => ({
    version: 1,
    id: "lead-capture",
    name: "Lead capture",
    variables: [
      { name: "email", type: "string", clientSettable: true },
      { name: "contactId", type: "string" },
    ],
    nodes: [
      { id: "start", kind: "start", position: at, data: {} },
      {
        id: "create",
        kind: "http",
        position: at,
        data: {
          integrationId: "crm",
          operation,
          inputs,
          responseMapping: [{ variable: "contactId", expression: "body.id" }],
        },
      },
      { id: "ok", kind: "message", position: at, data: { text: "Created contact {{ contactId }}" } },
      { id: "failed", kind: "message", position: at, data: { text: "Failed: {{ sys.lastError }}" } },
      { id: "end", kind: "end", position: at, data: {} },
      { id: "end-failed", kind: "end", position: at, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "create" },
      { id: "e2", source: "create", sourceHandle: "success", target: "ok" },
      { id: "e3", source: "create", sourceHandle: "error", target: "failed" },
      { id: "e4", source: "ok", sourceHandle: "next", target: "end" },
      { id: "e5", source: "failed", sourceHandle: "next", target: "end-failed" },
    ],
  });

  it("runs end to end in a published flow, and publishing refuses an operation the connector lacks", async () => {
    const ctx = await tenant("OperationFlow");
    await createIntegration(ctx, {
      name: "crm",
      connector: "hubspot",
      baseUrl: vendor.url,
      credentials: { type: "bearer", token: "pat-na1-1234" },
    });
    const bot = await createBot(ctx, { name: "Leads" });
    const flow = await createFlow(ctx, {
      botId: bot.id,
      document: document("create-contact", { email: "{{ email }}", firstname: "Ada" }),
    });
    await publishFlow(ctx, flow.id, {});
    const before = vendor.seen.length;
    const reply = await startConversation(ctx, bot.id, { variables: { email: "ada@example.com" } });
    const texts = reply.messages.map((message) => (message as { text?: string }).text).join("\n");
    expect(texts).toContain("Created contact 512");
    const sent = vendor.seen.slice(before)[0]!;
    expect(sent.url).toBe("/crm/v3/objects/contacts");
    expect(JSON.parse(sent.body)).toEqual({ properties: { email: "ada@example.com", firstname: "Ada" } });

    const saved = await saveFlowDraft(ctx, flow.id, {
      document: document("create-lead", { email: "{{ email }}" }),
    });
    expect(saved.validation.problems.map((problem) => problem.code)).toContain("unknown-operation");
    expect(
      saved.validation.problems.find((problem) => problem.code === "unknown-operation")?.message,
    ).toContain('has no operation "create-lead"');
    const refused = await publishFlow(ctx, flow.id, {}).catch((error: unknown) => error);
    expect((refused as ServiceError).code).toBe("flow-invalid");
  }, 60_000);
});

it("loads the shipped catalogue once", () => {
  expect(connectorCatalogue()).toBe(connectorCatalogue());
});
