import type { ConnectorDefinitionInput } from "@parley/contract";

/**
 * A generic outbound webhook: Zapier, Make or n8n catch hooks (any https endpoint that takes JSON).
 * https://help.zapier.com/hc/en-us/articles/8496288690317-Trigger-Zaps-from-webhooks
 */
export const outboundWebhook = {
  id: "outbound-webhook",
  name: "Outbound webhook (Zapier, Make, n8n)",
  description: "POST the conversation's data as JSON to a catch hook, optionally HMAC-signed.",
  docsUrl: "https://help.zapier.com/hc/en-us/articles/8496288690317-Trigger-Zaps-from-webhooks",
  baseUrl: "https://{host}{path}",
  auth: {
    type: "hmac",
    alternatives: ["header", "bearer", "basic"],
    optional: true,
    help: "Optional: an HMAC secret to sign the body (n8n and Make can verify it), or a header your hook checks.",
  },
  settings: [
    {
      name: "host",
      label: "Host",
      pattern: "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
      help: "e.g. hooks.zapier.com, hook.eu1.make.com, acme.app.n8n.cloud",
    },
    {
      name: "path",
      label: "Path",
      pattern: "^(/[A-Za-z0-9._~-]+)*/?$",
      help: "e.g. /hooks/catch/123456/abcdef/ or /webhook/<id>",
    },
  ],
  operations: [
    {
      id: "send-event",
      name: "Send event",
      description: "POSTs { event, data } as JSON to the hook; answers what the hook answered.",
      method: "POST",
      path: "/",
      inputs: [
        { name: "event", label: "Event name", in: "body", default: "parley.event" },
        {
          name: "data",
          label: "Data",
          type: "json",
          required: true,
          in: "body",
          help: 'A JSON object, e.g. {"email": "{{ email }}"}',
        },
      ],
      body: { encoding: "json", template: '{ "event": event, "data": data }' },
      docsUrl: "https://help.zapier.com/hc/en-us/articles/8496288690317-Trigger-Zaps-from-webhooks",
    },
  ],
} satisfies ConnectorDefinitionInput;
