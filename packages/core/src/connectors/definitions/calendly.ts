import type { ConnectorDefinitionInput } from "@parley/contract";

/** Calendly API v2 (event types, scheduling links). https://developer.calendly.com/api-docs */
export const calendly = {
  id: "calendly",
  name: "Calendly",
  description: "Offer booking links: list event types and create single-use scheduling links.",
  docsUrl: "https://developer.calendly.com/api-docs",
  baseUrl: "https://api.calendly.com",
  auth: {
    type: "bearer",
    alternatives: ["oauth2-authorization-code"],
    help: "A personal access token (Integrations & apps > API and webhooks).",
  },
  operations: [
    {
      id: "list-event-types",
      name: "List event types",
      description: "Lists a user's event types with their booking links.",
      method: "GET",
      path: "/event_types",
      inputs: [
        {
          name: "user",
          label: "User URI",
          required: true,
          in: "query",
          help: "https://api.calendly.com/users/<uuid> (GET /users/me answers it)",
        },
        { name: "active", label: "Active only", type: "boolean", in: "query", default: "true" },
        { name: "count", label: "At most", type: "number", in: "query", default: "20" },
      ],
      response:
        '{ "eventTypes": [collection.{ "uri": uri, "name": name, "duration": duration, "schedulingUrl": scheduling_url }] }',
      docsUrl: "https://developer.calendly.com/api-docs/calendly-api/event-types/list-event-types",
    },
    {
      id: "create-scheduling-link",
      name: "Create single-use scheduling link",
      description: "Creates a booking link for one event of an event type; answers the booking URL.",
      method: "POST",
      path: "/scheduling_links",
      inputs: [{ name: "eventType", label: "Event type URI", required: true, in: "body" }],
      body: {
        encoding: "json",
        template: '{ "max_event_count": 1, "owner": eventType, "owner_type": "EventType" }',
      },
      response: '{ "bookingUrl": resource.booking_url }',
      docsUrl: "https://developer.calendly.com/api-docs/calendly-api/scheduling-links/create-scheduling-link",
    },
  ],
} satisfies ConnectorDefinitionInput;
