import type { ConnectorDefinitionInput } from "@parley/contract";

/** Salesforce REST API (sObjects and SOQL query). https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/ */
export const salesforce = {
  id: "salesforce",
  name: "Salesforce",
  description: "Create leads and run SOQL queries against your Salesforce org.",
  docsUrl: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm",
  baseUrl: "https://{myDomain}.my.salesforce.com/services/data/v60.0",
  auth: {
    type: "oauth2-authorization-code",
    alternatives: ["oauth2-client-credentials", "bearer"],
    fixed: {
      authorizeUrl: "https://login.salesforce.com/services/oauth2/authorize",
      tokenUrl: "https://login.salesforce.com/services/oauth2/token",
    },
    help: "A connected app (Setup > App Manager) with the api and refresh_token scopes; or a pre-issued access token as bearer.",
  },
  settings: [
    {
      name: "myDomain",
      label: "My Domain",
      pattern: "^[a-z0-9][a-z0-9-]{0,79}(\\.(sandbox|develop))?$",
      help: "The first part of your org's My Domain URL: acme for https://acme.my.salesforce.com.",
    },
  ],
  operations: [
    {
      id: "create-lead",
      name: "Create lead",
      description: "Creates a Lead record; answers its id.",
      method: "POST",
      path: "/sobjects/Lead",
      inputs: [
        { name: "LastName", label: "Last name", required: true, in: "body" },
        { name: "Company", label: "Company", required: true, in: "body" },
        { name: "FirstName", label: "First name", in: "body" },
        { name: "Email", label: "E-mail", type: "email", in: "body" },
        { name: "Phone", label: "Phone", in: "body" },
        { name: "LeadSource", label: "Lead source", in: "body", default: "Chat" },
      ],
      body: { encoding: "json" },
      response: '{ "id": id, "success": success }',
      docsUrl:
        "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm",
    },
    {
      id: "query",
      name: "SOQL query",
      description: "Runs a SOQL query and answers the matching records.",
      method: "GET",
      path: "/query",
      inputs: [
        {
          name: "q",
          label: "SOQL",
          required: true,
          in: "query",
          help: "e.g. SELECT Id, Name FROM Contact WHERE Email = 'a@b.c'",
        },
      ],
      response:
        '{ "totalSize": totalSize, "records": [records.$sift(function($v, $k) { $k != "attributes" })] }',
      docsUrl: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm",
    },
  ],
} satisfies ConnectorDefinitionInput;
