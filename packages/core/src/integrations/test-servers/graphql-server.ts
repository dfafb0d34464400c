import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, graphql } from "graphql";

const schema = buildSchema(`
  type Order { id: ID!, status: String!, total: Float! }
  type Query { order(id: ID!): Order }
`);

const orders: Record<string, { id: string; status: string; total: number }> = {
  "42": { id: "42", status: "shipped", total: 19.5 },
};

const root = {
  order: ({ id }: { id: string }) => {
    if (id === "boom") throw new Error("order service unavailable");
    return orders[id] ?? null;
  },
};

/** A local GraphQL-over-HTTP server executing with graphql-js (the reference implementation). */
export async function startGraphqlServer() {
  const seen: { query: string; variables: unknown }[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", async () => {
      const { query, variables, operationName } = JSON.parse(body || "{}");
      seen.push({ query, variables });
      const result = await graphql({
        schema,
        source: query,
        rootValue: root,
        variableValues: variables,
        operationName,
      });
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
