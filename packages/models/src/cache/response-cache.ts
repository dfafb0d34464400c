import { createHash } from "node:crypto";
import type { LlmRequest } from "@parley/engine";
import type { Cache } from "@parley/infra";
import type { TokenUsage } from "../providers/provider";

/** What the response cache keeps for one request. */
export interface CachedAnswer {
  text: string;
  json?: Record<string, unknown>;
  provider: string;
  providerKind: string;
  model: string;
  usage: TokenUsage;
  cachedAt: string;
}

const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Cache key of a request for one tenant and route: a hash of the normalised request (whitespace
 * collapsed, fields in a fixed order), so equal questions share an entry and the key reveals nothing.
 */
export function responseCacheKey(tenantId: string, route: string, request: LlmRequest): string {
  const normalised = JSON.stringify([
    route,
    request.messages.map((message) => [message.role, normalise(message.content)]),
    request.extract?.fields.map((field) => [
      field.name,
      field.type,
      field.required,
      field.description ?? "",
    ]) ?? null,
    request.temperature ?? null,
    request.maxTokens ?? null,
  ]);
  const digest = createHash("sha256").update(normalised).digest("base64url");
  return `models:answer:v1:${tenantId}:${digest}`;
}

/** The response cache over an infra {@link Cache} (Redis in cluster mode, in-process in embedded mode). */
export class ResponseCache {
  constructor(private readonly cache: Cache) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    try {
      return await this.cache.get<CachedAnswer>(key);
    } catch {
      // A cache outage must not fail the call: it is only a miss.
      return undefined;
    }
  }

  async set(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
    try {
      await this.cache.set(key, answer, { ttlMs: ttlSeconds * 1000 });
    } catch {
      // Same: losing a cache write costs a future call, nothing more.
    }
  }
}
