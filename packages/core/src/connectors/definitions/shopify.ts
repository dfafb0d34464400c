import type { ConnectorDefinitionInput } from "@parley/contract";

/** Shopify Admin REST API (orders). https://shopify.dev/docs/api/admin-rest/2024-10/resources/order */
export const shopify = {
  id: "shopify",
  name: "Shopify",
  description: "Look up a Shopify order (status, fulfilment, total) for order-tracking bots.",
  docsUrl: "https://shopify.dev/docs/api/admin-rest",
  baseUrl: "https://{shop}.myshopify.com/admin/api/2024-10",
  auth: {
    type: "header",
    fixed: { name: "X-Shopify-Access-Token" },
    help: "An Admin API access token of a custom app (Settings > Apps and sales channels > Develop apps) with read_orders.",
  },
  settings: [
    {
      name: "shop",
      label: "Shop",
      pattern: "^[a-z0-9][a-z0-9-]{0,62}$",
      help: "acme for acme.myshopify.com.",
    },
  ],
  operations: [
    {
      id: "get-order",
      name: "Get order",
      description: "Retrieves an order by id; answers its name, payment and fulfilment status and total.",
      method: "GET",
      path: "/orders/{orderId}.json",
      inputs: [{ name: "orderId", label: "Order id", type: "number", required: true, in: "path" }],
      response:
        '{ "id": order.id, "name": order.name, "email": order.email, "financialStatus": order.financial_status, "fulfillmentStatus": order.fulfillment_status, "total": order.total_price, "currency": order.currency }',
      docsUrl: "https://shopify.dev/docs/api/admin-rest/2024-10/resources/order#get-orders-order-id",
    },
  ],
} satisfies ConnectorDefinitionInput;
