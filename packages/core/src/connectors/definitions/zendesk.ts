import type { ConnectorDefinitionInput } from "@parley/contract";

/** Zendesk Support API (tickets). https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/ */
export const zendesk = {
  id: "zendesk",
  name: "Zendesk",
  description: "Open Zendesk Support tickets from a conversation.",
  docsUrl: "https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/",
  baseUrl: "https://{subdomain}.zendesk.com/api/v2",
  auth: {
    type: "basic",
    alternatives: ["bearer"],
    help: "Username: your agent e-mail followed by /token (jane@acme.com/token); password: an API token (Admin Center > Apps and integrations > Zendesk API).",
  },
  settings: [
    {
      name: "subdomain",
      label: "Subdomain",
      pattern: "^[a-z0-9][a-z0-9-]{0,62}$",
      help: "acme for https://acme.zendesk.com.",
    },
  ],
  operations: [
    {
      id: "create-ticket",
      name: "Create ticket",
      description:
        "Creates a ticket with the first comment and the requester; answers the ticket id and status.",
      method: "POST",
      path: "/tickets.json",
      inputs: [
        { name: "subject", label: "Subject", required: true, in: "body" },
        { name: "comment", label: "Description", required: true, in: "body" },
        { name: "requesterName", label: "Requester name", in: "body" },
        { name: "requesterEmail", label: "Requester e-mail", type: "email", in: "body" },
        { name: "priority", label: "Priority", in: "body", help: "urgent, high, normal or low" },
      ],
      body: {
        encoding: "json",
        template:
          '{ "ticket": { "subject": subject, "comment": { "body": comment }, "priority": priority, "requester": requesterEmail ? { "name": requesterName ? requesterName : requesterEmail, "email": requesterEmail } } }',
      },
      response: '{ "id": ticket.id, "status": ticket.status, "url": ticket.url }',
      docsUrl: "https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket",
    },
  ],
} satisfies ConnectorDefinitionInput;
