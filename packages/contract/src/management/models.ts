import { z } from "zod";

/**
 * Wire schemas of model settings (providers, routes, budgets, prices, routing preferences, "try it"):
 * what the studio's tRPC API and the REST API (`/api/v1/model-*`) accept and return. zod only; the
 * model layer (@parley/models) and the application layer (@parley/core) import them from here.
 */

const id = z.string().min(1).max(100);

/** Provider families the orchestrator can talk to (mirrors the database enum). */
export const providerKindSchema = z.enum([
  "openai",
  "azure_openai",
  "anthropic",
  "google",
  "huggingface",
  "openai_compatible",
  "offline",
]);
/** Provider families the orchestrator can talk to. */
export type ProviderKind = z.infer<typeof providerKindSchema>;

/** Non-secret provider options (stored as the provider row's `config` JSON). */
export const providerOptionsSchema = z
  .object({
    /** Azure OpenAI API version, e.g. `2024-10-21`. */
    apiVersion: z.string().min(1),
    /** Azure OpenAI deployment name (otherwise the route's model is the deployment). */
    deployment: z.string().min(1),
    /** OpenAI organisation id. */
    organization: z.string().min(1),
    /** Extra request headers (non-secret). */
    headers: z.record(z.string(), z.string()),
    /** Hugging Face inference provider for the router (default `auto`). */
    inferenceProvider: z.string().min(1),
  })
  .partial();
/** Non-secret provider options. */
export type ProviderOptions = z.infer<typeof providerOptionsSchema>;

/** A provider's name: unique per tenant; route targets name it. */
export const providerNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, "a provider name may use letters, digits, '_', '.' and '-'");

/** A provider's base URL (OpenAI-compatible servers, Azure resources, proxies). */
export const providerBaseUrlSchema = z.url({ protocol: /^https?$/, error: "baseUrl must be an http(s) URL" });

/**
 * Creates or updates a provider (studio form). The key is write-only: a new key to store
 * (encrypted), `null` to remove it, absent to keep it. Changing `baseUrl` or `kind` of a provider
 * with a stored key needs the key again (so a key is never sent somewhere its owner did not choose).
 */
export const saveProviderSchema = z.object({
  /** Present to update an existing provider. */
  id: id.optional(),
  name: providerNameSchema,
  kind: providerKindSchema,
  baseUrl: providerBaseUrlSchema.optional(),
  options: providerOptionsSchema.default({}),
  enabled: z.boolean().default(true),
  apiKey: z.string().min(1).max(4_096).nullable().optional(),
});
/** Input of a provider save (defaults optional). */
export type SaveProviderInput = z.input<typeof saveProviderSchema>;

/** `POST /api/v1/model-providers`. */
export const createProviderInputSchema = saveProviderSchema.omit({ id: true }).strict();

/** `PATCH /api/v1/model-providers/{providerId}`: the fields to change (`baseUrl: null` removes it). */
export const updateProviderInputSchema = z
  .object({
    name: providerNameSchema,
    kind: providerKindSchema,
    baseUrl: providerBaseUrlSchema.nullable(),
    options: providerOptionsSchema,
    enabled: z.boolean(),
    apiKey: z.string().min(1).max(4_096).nullable(),
  })
  .partial()
  .strict();
/** Changes of a provider. */
export type UpdateProviderInput = z.infer<typeof updateProviderInputSchema>;

/** A provider as listed: never the key; `keyHint` is `…abcd` (managers only), `set`, or null (no key). */
export const providerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: providerKindSchema,
  baseUrl: z.string().optional(),
  options: providerOptionsSchema,
  enabled: z.boolean(),
  hasApiKey: z.boolean(),
  keyHint: z.string().nullable(),
});
/** A provider as listed. */
export type ProviderView = z.infer<typeof providerViewSchema>;

/** One model a route may use, with what it can do (for cost-based selection and needs filtering). */
export const routeTargetSchema = z.object({
  /** Name of a configured provider. */
  provider: z.string().min(1),
  /** Model id (Azure: deployment name). */
  model: z.string().min(1),
  /** Context window in tokens (prompt + answer). */
  contextTokens: z.number().int().positive().default(8_192),
  /** Whether the model can be asked for a JSON object. */
  json: z.boolean().default(true),
  /** Whether the model can call tools. */
  tools: z.boolean().default(false),
  /** Per-attempt timeout for this model, overriding the route's. */
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
});
/** One model a route may use. */
export type RouteTarget = z.infer<typeof routeTargetSchema>;

/**
 * A named routing policy (stored as the route row's `policy` JSON). `targets` is the ordered list;
 * `strategy` decides the order each call tries them in:
 * - `fallback`: as listed;
 * - `cost`: cheapest first by the tenant's price table (for the call's estimated tokens);
 * - `latency`: fastest first by a moving average of observed latency (untried models first).
 * Targets that cannot meet the call's needs (context size, JSON mode, tools) are skipped.
 */
export const routePolicySchema = z.object({
  strategy: z.enum(["fallback", "cost", "latency"]).default("fallback"),
  targets: z.array(routeTargetSchema).min(1, "a route needs at least one target"),
  /** Needs every call of this route has on top of what the request implies. */
  requires: z.object({ tools: z.boolean().default(false) }).default({ tools: false }),
  /** Per-attempt timeout (ms). */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  retry: z
    .object({
      /** Tries per target (1 = no retry). */
      attempts: z.number().int().min(1).max(5).default(2),
      baseDelayMs: z.number().int().min(0).max(60_000).default(200),
      maxDelayMs: z.number().int().min(0).max(60_000).default(5_000),
      /** A Retry-After longer than this moves on to the next target instead of waiting. */
      maxRetryAfterMs: z.number().int().min(0).max(300_000).default(10_000),
    })
    .default({ attempts: 2, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 }),
  breaker: z
    .object({
      /** Consecutive health failures (429, 5xx, timeouts, network) that open a model's circuit. */
      failures: z.number().int().min(1).max(100).default(5),
      /** How long an open circuit waits before letting one trial call through (half-open). */
      halfOpenAfterMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .default({ failures: 5, halfOpenAfterMs: 30_000 }),
  cache: z
    .object({
      enabled: z.boolean().default(false),
      ttlSeconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 3600)
        .default(3_600),
    })
    .default({ enabled: false, ttlSeconds: 3_600 }),
  /** Mask personal data before the prompt leaves the platform, and restore it in the answer. */
  pii: z
    .object({
      enabled: z.boolean().default(false),
      kinds: z
        .array(z.enum(["email", "phone", "card", "iban", "national_id", "name"]))
        .default(["email", "phone", "card", "iban", "national_id", "name"]),
    })
    .default({ enabled: false, kinds: ["email", "phone", "card", "iban", "national_id", "name"] }),
});
/** A named routing policy (input form, defaults optional: what the studio edits). */
export type RoutePolicyInput = z.input<typeof routePolicySchema>;
/** A named routing policy. */
export type RoutePolicy = z.infer<typeof routePolicySchema>;

/** Creates or updates a route (studio form; `id` present to update). */
export const saveRouteSchema = z.object({
  id: id.optional(),
  name: z.string().min(1).max(128),
  description: z.string().max(1_000).default(""),
  /** The ordered policy (targets in the order the studio's list shows them). */
  policy: routePolicySchema,
  /** Make this the tenant's default route (the previous default stops being one). */
  isDefault: z.boolean().default(false),
});
/** `POST /api/v1/model-routes`. */
export const createRouteInputSchema = saveRouteSchema.omit({ id: true }).strict();
/** `PATCH /api/v1/model-routes/{routeId}`: the fields to change. */
export const updateRouteInputSchema = z
  .object({
    name: z.string().min(1).max(128),
    description: z.string().max(1_000),
    policy: routePolicySchema,
    isDefault: z.boolean(),
  })
  .partial()
  .strict();
/** Changes of a route. */
export type UpdateRouteInput = z.infer<typeof updateRouteInputSchema>;

/** A route as listed. */
export const routeViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  policy: routePolicySchema,
  isDefault: z.boolean(),
});
/** A route as listed. */
export type RouteView = z.infer<typeof routeViewSchema>;

/** The price of one provider/model, in USD per million tokens. */
export const modelPriceSchema = z.object({
  /** Provider name or kind (`openai`, `azure-eu`...); `*` matches any provider. */
  provider: z.string().min(1),
  model: z.string().min(1),
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
});
/** The price of one provider/model. */
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** A price row of the tenant. */
export const priceViewSchema = modelPriceSchema.extend({ id: z.string() });

/** The tenant's own prices and the built-in list prices they override. */
export const priceTableViewSchema = z.object({
  prices: z.array(priceViewSchema),
  defaults: z.array(modelPriceSchema),
});

/** `PUT /api/v1/model-prices`: sets the tenant's price of one provider/model (insert or replace). */
export const putPriceInputSchema = modelPriceSchema.strict();

/** Creates or updates the tenant's budget (no botId) or a bot's budget. */
export const saveBudgetSchema = z.object({
  /** Absent: the tenant-wide budget. */
  botId: id.optional(),
  monthlyLimitUsd: z.number().nonnegative(),
  action: z.enum(["block", "downgrade"]).default("block"),
  /** Route name to downgrade to (required when the action is `downgrade`). */
  downgradeRoute: z.string().min(1).optional(),
  warnAtPercent: z.number().int().min(1).max(100).default(80),
});
/** `POST /api/v1/model-budgets`. */
export const createBudgetInputSchema = saveBudgetSchema.strict();
/** `PATCH /api/v1/model-budgets/{budgetId}`: the fields to change (the bot stays). */
export const updateBudgetInputSchema = saveBudgetSchema
  .omit({ botId: true })
  .extend({ downgradeRoute: z.string().min(1).nullable() })
  .partial()
  .strict();
/** Changes of a budget. */
export type UpdateBudgetInput = z.infer<typeof updateBudgetInputSchema>;

/** A monthly spend cap of a tenant or one bot, with this month's spend. */
export const budgetViewSchema = z.object({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  botId: z.string().min(1).optional(),
  monthlyLimitUsd: z.number().nonnegative(),
  /** When the cap is reached: refuse the call, or use `downgradeRoute` instead. */
  action: z.enum(["block", "downgrade"]).default("block"),
  /** Route name used when the action is `downgrade`. */
  downgradeRoute: z.string().min(1).optional(),
  warnAtPercent: z.number().int().min(1).max(100).default(80),
  /** First day of the month `spentUsd` belongs to (UTC), `YYYY-MM-01`. */
  periodStart: z.string().regex(/^\d{4}-\d{2}-01$/),
  spentUsd: z.number().nonnegative().default(0),
  /** When the warning event was sent for the current period. */
  warnedAt: z.string().optional(),
});

const routeNameSchema = z.string().trim().min(1, "name a route").max(128);
const preferredProviderSchema = z.string().trim().min(1, "choose a provider").max(64);
/** Longest preferred-provider list (more than a tenant has providers is a mistake). */
const MAX_PREFERRED = 32;

/** One route substitution of a bot: a node asking for `requested` gets `route`. */
export const routeOverrideSchema = z.object({
  /** The route name a flow's node asks for; it need not exist (template flows name `fast`, `smart`). */
  requested: routeNameSchema,
  /** The route the bot uses instead. */
  route: routeNameSchema,
});
/** One route substitution of a bot. */
export type RouteOverride = z.infer<typeof routeOverrideSchema>;

/**
 * The workspace's routing preferences: its default route (null: the route named `default`, the
 * environment's unless the workspace defines one) and the providers it prefers, in order (their
 * targets are tried first in every route). `PUT /api/v1/model-routing`.
 */
export const saveTenantRoutingSchema = z.object({
  defaultRoute: routeNameSchema.nullable(),
  preferredProviders: z.array(preferredProviderSchema).max(MAX_PREFERRED).default([]),
});
/** The workspace's routing preferences. */
export type TenantRouting = z.infer<typeof saveTenantRoutingSchema>;

/**
 * What one bot does differently from the workspace. Null means "as the workspace": the default
 * route, and the preferred providers (an empty list is a choice of its own: no preference for this
 * bot, whatever the workspace prefers). `PUT /api/v1/bots/{botId}/model-routing`.
 */
export const saveBotRoutingSchema = z.object({
  defaultRoute: routeNameSchema.nullable().default(null),
  /** Rows in the order the studio shows them (stored as a map; a name may appear once). */
  routeOverrides: z.array(routeOverrideSchema).max(100).default([]),
  preferredProviders: z.array(preferredProviderSchema).max(MAX_PREFERRED).nullable().default(null),
});
/** One bot's routing choices. */
export type BotRouting = z.infer<typeof saveBotRoutingSchema> & { botId: string };

/** One bot's routing choices as read. */
export const botRoutingViewSchema = saveBotRoutingSchema.extend({ botId: z.string() });

/** The workspace's routing and every bot's, with the route names each bot's flows ask for. */
export const routingViewSchema = z.object({
  workspace: saveTenantRoutingSchema,
  bots: z.array(botRoutingViewSchema.extend({ requestedByFlows: z.array(z.string()) })),
});

/** What "try it" sends: one prompt, through a route, optionally accounted to a bot. */
export const tryPromptInputSchema = z.object({
  prompt: z.string().trim().min(1, "type a prompt").max(8_000),
  /** Absent: the default route (the bot's when one is given, else the workspace's). */
  route: z.string().min(1).max(128).optional(),
  botId: id.optional(),
});
/** What "try it" sends. */
export type TryPromptInput = z.infer<typeof tryPromptInputSchema>;

/** `POST /api/v1/model-routes/{routeId}/try`: the route is the path's. */
export const tryRouteInputSchema = tryPromptInputSchema.omit({ route: true }).strict();

/** One attempt of a call (a provider/model tried), as "try it" reports it. */
export const attemptViewSchema = z.object({
  provider: z.string(),
  model: z.string(),
  outcome: z.string(),
  latencyMs: z.number(),
  error: z.string().optional(),
});

/** What "try it" answers: the text, who answered, tokens, cost, latency and the fallbacks tried. */
export const tryPromptResultSchema = z.object({
  text: z.string(),
  provider: z.string().optional(),
  model: z.string().optional(),
  /** The route asked for (`default` when none was named). */
  requestedRoute: z.string(),
  /** The route used: differs after a bot's default route or override, or a budget downgrade. */
  route: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  latencyMs: z.number(),
  cacheHit: z.boolean(),
  attempts: z.array(attemptViewSchema.loose()),
});

/** One model route a bot's flows use, as the bot's routing resolves it. */
export const modelUseSchema = z.object({
  /** The route the nodes ask for (`default` when they name none). */
  requested: z.string(),
  /** The route that answers (after the bot's overrides and defaults); null when none exists. */
  route: z.string().nullable(),
  /** Providers of the route's targets, in order. */
  providers: z.array(z.string()),
  /** Whether only the offline provider can answer: canned, local answers, not a real model. */
  offlineOnly: z.boolean(),
  /** The nodes (id and title) that use it. */
  nodes: z.array(z.object({ nodeId: z.string(), title: z.string(), kind: z.string() })),
});
/** One model route a bot's flows use. */
export type ModelUse = z.infer<typeof modelUseSchema>;

/**
 * Whether a bot would answer real visitors with the offline model: its llm, knowledge and (LLM-
 * classified) intent nodes, the routes they resolve to, and which of those only the offline provider
 * serves. REST `GET /api/v1/bots/{botId}/model-status[?flowId=]`.
 */
export const botModelStatusSchema = z.object({
  /** Whether any checked flow has a node that calls a model. */
  usesModels: z.boolean(),
  /** Whether some of those nodes would be answered by the offline provider only. */
  offlineOnly: z.boolean(),
  uses: z.array(modelUseSchema),
});
/** Whether a bot would answer with the offline model. */
export type BotModelStatus = z.infer<typeof botModelStatusSchema>;

/** Query of the model status: one flow's draft (what publishing would ship), else the published flows. */
export const botModelStatusQuerySchema = z.object({ flowId: z.string().min(1).max(100).optional() }).strict();
