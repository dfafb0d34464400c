import type { ConnectorDefinitionInput } from "@parley/contract";

/** Twilio Programmable Messaging (form-encoded, HTTP Basic with the account SID). https://www.twilio.com/docs/messaging/api/message-resource */
export const twilioSms = {
  id: "twilio-sms",
  name: "Twilio SMS",
  description: "Send an SMS (confirmations, codes, reminders) through Twilio.",
  docsUrl: "https://www.twilio.com/docs/messaging/api/message-resource",
  baseUrl: "https://api.twilio.com/2010-04-01/Accounts/{accountSid}",
  auth: {
    type: "basic",
    help: "Username: the account SID (AC...); password: the auth token (Console > Account info). An API key SID and secret work too.",
  },
  settings: [
    {
      name: "accountSid",
      label: "Account SID",
      pattern: "^AC[0-9a-fA-F]{32}$",
      help: "AC followed by 32 hex digits (Console > Account info).",
    },
  ],
  operations: [
    {
      id: "send-message",
      name: "Send SMS",
      description:
        "Sends a message from your Twilio number (or messaging service); answers its SID and status.",
      method: "POST",
      path: "/Messages.json",
      inputs: [
        { name: "To", label: "To (E.164)", required: true, in: "body", help: "+15558675310" },
        { name: "From", label: "From (your Twilio number)", in: "body" },
        {
          name: "MessagingServiceSid",
          label: "Messaging service SID",
          in: "body",
          help: "MG... (instead of From)",
        },
        { name: "Body", label: "Text", required: true, in: "body" },
      ],
      body: { encoding: "form" },
      response: '{ "sid": sid, "status": status, "to": to }',
      docsUrl: "https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource",
    },
  ],
} satisfies ConnectorDefinitionInput;
