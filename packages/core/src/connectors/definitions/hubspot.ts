import type { ConnectorDefinitionInput } from "@parley/contract";

/** HubSpot CRM v3 (private app access token). https://developers.hubspot.com/docs/api/crm/contacts */
export const hubspot = {
  id: "hubspot",
  name: "HubSpot",
  description: "Create and find contacts in HubSpot CRM.",
  docsUrl: "https://developers.hubspot.com/docs/api/crm/contacts",
  baseUrl: "https://api.hubapi.com",
  auth: {
    type: "bearer",
    help: "A private app access token (Settings > Integrations > Private apps) with the crm.objects.contacts scopes.",
  },
  operations: [
    {
      id: "create-contact",
      name: "Create contact",
      description:
        "Creates a contact with the given properties; answers the new contact's id and properties.",
      method: "POST",
      path: "/crm/v3/objects/contacts",
      inputs: [
        { name: "email", label: "E-mail", type: "email", required: true, in: "body" },
        { name: "firstname", label: "First name", in: "body" },
        { name: "lastname", label: "Last name", in: "body" },
        { name: "phone", label: "Phone", in: "body" },
        { name: "company", label: "Company", in: "body" },
      ],
      body: {
        encoding: "json",
        template:
          '{ "properties": { "email": email, "firstname": firstname, "lastname": lastname, "phone": phone, "company": company } }',
      },
      response: '{ "id": id, "email": properties.email, "createdAt": createdAt }',
      docsUrl: "https://developers.hubspot.com/docs/api/crm/contacts",
    },
    {
      id: "search-contacts",
      name: "Search contacts by e-mail",
      description: "Finds contacts whose e-mail equals the given one (CRM search API).",
      method: "POST",
      path: "/crm/v3/objects/contacts/search",
      inputs: [
        { name: "email", label: "E-mail", type: "email", required: true, in: "body" },
        { name: "limit", label: "At most", type: "number", in: "body", default: "10" },
      ],
      body: {
        encoding: "json",
        template:
          '{ "filterGroups": [{ "filters": [{ "propertyName": "email", "operator": "EQ", "value": email }] }], "properties": ["email", "firstname", "lastname", "phone"], "limit": limit }',
      },
      response:
        '{ "total": total, "contacts": [results.{ "id": id, "email": properties.email, "firstname": properties.firstname, "lastname": properties.lastname }] }',
      docsUrl: "https://developers.hubspot.com/docs/api/crm/search",
    },
  ],
} satisfies ConnectorDefinitionInput;
