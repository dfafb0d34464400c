import { z } from "zod";

/** An outbound HTTP request built by an http node (templates already rendered). */
export const httpRequestSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()),
  /** Request body as text (JSON bodies are serialised by the engine). */
  body: z.string().optional(),
  /** Id of the tenant integration whose credentials the runtime should attach, if any. */
  integrationId: z.string().optional(),
  /**
   * A connector operation of the integration (`integrationId`): the runtime resolves method, URL and
   * body from the connector definition and these rendered `inputs` (then `method`/`url` are unused).
   */
  operation: z.string().optional(),
  /** The operation's inputs, rendered. */
  inputs: z.record(z.string(), z.string()).optional(),
});
/** An outbound HTTP request built by an http node (templates already rendered). */
export type HttpRequest = z.infer<typeof httpRequestSchema>;

/** The response the port hands back; the engine parses JSON bodies itself. */
export const httpResponseSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
/** The response the port hands back; the engine parses JSON bodies itself. */
export type HttpResponse = z.infer<typeof httpResponseSchema>;

/**
 * Port for outbound HTTP. The runtime provides its guarded, SSRF-safe client here
 * (address checks, pinned connections, redirect re-checks, size limits). Rejects on network
 * failure or abort; a non-2xx status is a normal response (the engine decides the branch).
 */
export interface HttpPort {
  request(request: HttpRequest, options: { signal: AbortSignal }): Promise<HttpResponse>;
}
