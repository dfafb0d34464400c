/**
 * Public entry of @parley/client: a typed client for Parley's REST API (API v1). Paths, parameters,
 * bodies and responses are typed from the runtime's OpenAPI document (`src/schema.d.ts`, generated
 * by openapi-typescript); requests go through openapi-fetch, so every call returns
 * `{ data, error, response }` instead of throwing on 4xx/5xx (`error` is the problem+json body).
 *
 * @example
 * const parley = createParleyClient({ baseUrl: "http://localhost:4000", apiKey: "sk_..." });
 * const { data, error } = await parley.POST("/api/v1/bots/{botId}/conversations", {
 *   params: { path: { botId } },
 *   body: {},
 * });
 * if (error) throw new Error(`${error.code}: ${error.detail}`);
 * console.log(data.conversationId, data.messages);
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./schema";

export type { components, operations, paths } from "./schema";

/** Options of {@link createParleyClient}. */
export interface ParleyClientOptions {
  /** Where the runtime answers, e.g. `http://localhost:4000` (no `/api/v1`: paths carry it). */
  readonly baseUrl: string;
  /** A secret key (`sk_...`) or a bot's publishable key (`pk_...`), sent as `Authorization: Bearer`. */
  readonly apiKey: string;
  /** The fetch implementation (default: the global one). */
  readonly fetch?: ClientOptions["fetch"];
  /** Extra headers sent with every request. */
  readonly headers?: Record<string, string>;
}

/** The typed REST client: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` over the API's paths. */
export type ParleyClient = Client<paths>;

/** A typed client of one runtime, authenticated with one key. */
export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { ...options.headers, authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
