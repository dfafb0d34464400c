import type { ConnectorDefinitionInput } from "@parley/contract";

/** Stripe API (form-encoded requests). https://docs.stripe.com/api */
export const stripe = {
  id: "stripe",
  name: "Stripe",
  description: "Create customers and check payment intents in Stripe.",
  docsUrl: "https://docs.stripe.com/api",
  baseUrl: "https://api.stripe.com/v1",
  auth: {
    type: "bearer",
    alternatives: ["basic"],
    help: "A secret or restricted key (Developers > API keys), sk_live_... or rk_live_...",
  },
  operations: [
    {
      id: "create-customer",
      name: "Create customer",
      description: "Creates a customer; answers its id (cus_...).",
      method: "POST",
      path: "/customers",
      inputs: [
        { name: "email", label: "E-mail", type: "email", in: "body" },
        { name: "name", label: "Name", in: "body" },
        { name: "phone", label: "Phone", in: "body" },
        { name: "description", label: "Description", in: "body" },
        { name: "conversationId", label: "Conversation id (metadata)", in: "body" },
      ],
      body: {
        encoding: "form",
        template:
          '{ "email": email, "name": name, "phone": phone, "description": description, "metadata": conversationId ? { "conversation_id": conversationId } }',
      },
      response: '{ "id": id, "email": email, "name": name }',
      docsUrl: "https://docs.stripe.com/api/customers/create",
    },
    {
      id: "retrieve-payment-intent",
      name: "Retrieve payment intent",
      description: "Retrieves a payment intent; answers its status, amount and currency.",
      method: "GET",
      path: "/payment_intents/{id}",
      inputs: [{ name: "id", label: "Payment intent id", required: true, in: "path", help: "pi_..." }],
      response: '{ "id": id, "status": status, "amount": amount, "currency": currency }',
      docsUrl: "https://docs.stripe.com/api/payment_intents/retrieve",
    },
  ],
} satisfies ConnectorDefinitionInput;
