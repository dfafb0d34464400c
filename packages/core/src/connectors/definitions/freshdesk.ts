import type { ConnectorDefinitionInput } from "@parley/contract";

/** Freshdesk API v2 (tickets). https://developers.freshdesk.com/api/#create_ticket */
export const freshdesk = {
  id: "freshdesk",
  name: "Freshdesk",
  description: "Open Freshdesk tickets from a conversation.",
  docsUrl: "https://developers.freshdesk.com/api/",
  baseUrl: "https://{domain}.freshdesk.com/api/v2",
  auth: {
    type: "basic",
    fixed: { password: "X" },
    help: "Username: your API key (Profile settings > API key); password: X (any value).",
  },
  settings: [
    {
      name: "domain",
      label: "Helpdesk domain",
      pattern: "^[a-z0-9][a-z0-9-]{0,62}$",
      help: "acme for https://acme.freshdesk.com.",
    },
  ],
  operations: [
    {
      id: "create-ticket",
      name: "Create ticket",
      description: "Creates an open ticket for the requester's e-mail; answers its id.",
      method: "POST",
      path: "/tickets",
      inputs: [
        { name: "email", label: "Requester e-mail", type: "email", required: true, in: "body" },
        { name: "subject", label: "Subject", required: true, in: "body" },
        { name: "description", label: "Description (HTML)", required: true, in: "body" },
        {
          name: "priority",
          label: "Priority",
          type: "number",
          in: "body",
          default: "1",
          help: "1 low, 2 medium, 3 high, 4 urgent",
        },
        {
          name: "status",
          label: "Status",
          type: "number",
          in: "body",
          default: "2",
          help: "2 open, 3 pending, 4 resolved, 5 closed",
        },
        { name: "source", label: "Source", type: "number", in: "body", default: "7", help: "7 = chat" },
      ],
      body: { encoding: "json" },
      response: '{ "id": id, "status": status, "priority": priority }',
      docsUrl: "https://developers.freshdesk.com/api/#create_ticket",
    },
  ],
} satisfies ConnectorDefinitionInput;
