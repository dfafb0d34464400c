import { saveBudgetSchema, saveProviderSchema, saveRouteSchema } from "@parley/contract";
import type { Database } from "@parley/db";
import { createGuardedHttpClient, OutboundHttpError, type SecretVault } from "@parley/infra";
import { z } from "zod";
import { budgetSchema, periodOf } from "../accounting/budget";
import type { AttemptRecord } from "../accounting/call-record";
import { modelPriceSchema } from "../accounting/price-table";
import { type EmbeddingSettings, embeddingSettingsSchema } from "../config/tenant-model-config";
import type { ModelOrchestrator } from "../orchestrator/orchestrator";
import { databaseConfigSource } from "../persistence/database-config-source";
import { modelsPart, tenantModelSettingsSchema } from "../persistence/model-settings";
import { providerKeyBinding } from "../persistence/provider-secret";
import type { providerKindSchema } from "../providers/provider";
import { providerConfigSchema, providerOptionsSchema } from "../providers/provider-config";
import { type RoutePolicy, routePolicySchema } from "../routing/route-policy";
import {
  type BotRouting,
  botRoutingIssues,
  type RoutingIssue,
  type RoutingNames,
  readBotRoutings,
  readTenantRouting,
  saveBotRoutingSchema,
  saveTenantRoutingSchema,
  type TenantRouting,
  tenantRoutingIssues,
  writeBotRouting,
  writeTenantRouting,
} from "./routing-preferences";

/** A provider as the studio shows it: never the key, only whether one is stored. */
export interface ProviderSummary {
  id: string;
  name: string;
  kind: z.infer<typeof providerKindSchema>;
  baseUrl?: string;
  options: z.infer<typeof providerOptionsSchema>;
  enabled: boolean;
  hasApiKey: boolean;
}

export { saveBudgetSchema, saveProviderSchema, saveRouteSchema } from "@parley/contract";

/** Input of {@link ModelAdmin.saveEmbeddings}: the knowledge base's embedding model. */
export const saveEmbeddingsSchema = embeddingSettingsSchema;

/** Provider kinds that serve embeddings (through the official `openai` client). */
const EMBEDDING_KINDS = new Set(["openai", "azure_openai", "openai_compatible"]);

/** What the studio's "try it" box shows. */
export interface TryPromptResult {
  text: string;
  provider?: string;
  model?: string;
  /** The route asked for (`default` when none was named). */
  requestedRoute: string;
  /** The route used: differs after a bot's default route or override, or a budget downgrade. */
  route: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cacheHit: boolean;
  attempts: AttemptRecord[];
}

/** Thrown for input that is well-formed but inconsistent (unknown provider in a route, missing route...). */
export class ModelAdminError extends Error {
  override readonly name = "ModelAdminError";
  /** The input field the problem is about, when it is one (forms show the message there). */
  readonly field: string | undefined;
  /** Every problem by the dotted path of its field (the one of `field`, or several for routing inputs). */
  readonly issues: RoutingIssue[];
  constructor(message: string, options: { field?: string; issues?: RoutingIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field ?? options.issues?.[0]?.path;
    this.issues = options.issues ?? (options.field ? [{ path: options.field, message }] : []);
  }
}

/** Options of {@link ModelAdmin}. */
export interface ModelAdminOptions {
  db: Pick<Database, "forTenant">;
  vault: SecretVault;
  /** For {@link ModelAdmin.tryPrompt}. */
  orchestrator?: ModelOrchestrator;
  /** Told after every change, so cached configurations are dropped. */
  onChange?: (tenantId: string) => void;
  /**
   * Checks a provider base URL before it is saved (SSRF rules). Default: the orchestrator's check
   * (the rules its calls run under), or without an orchestrator the strict guarded client's.
   */
  checkEndpoint?: (url: string) => Promise<void>;
}

/**
 * The studio's models page as service functions: providers and keys (stored encrypted, never
 * returned), routes (ordered policies), the price table, budgets, and a "try it" call. Every
 * method is scoped to one tenant; inputs are validated with the exported zod schemas.
 */
export class ModelAdmin {
  constructor(private readonly options: ModelAdminOptions) {}

  private changed(tenantId: string): void {
    this.options.onChange?.(tenantId);
  }

  async listProviders(tenantId: string): Promise<ProviderSummary[]> {
    const rows = await this.options.db
      .forTenant(tenantId)
      .modelProvider.findMany({ orderBy: { name: "asc" } });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
      options: providerOptionsSchema.catch({}).parse(row.config),
      enabled: row.enabled,
      hasApiKey: row.apiKeyCiphertext !== null,
    }));
  }

  /**
   * Refuses a base URL the platform may not contact (loopback, private, link-local or metadata
   * addresses, unless the operator allowed them): a field error on `baseUrl`. Calls check again,
   * so a name whose DNS changes later is still refused.
   */
  private async checkEndpoint(baseUrl: string): Promise<void> {
    const check =
      this.options.checkEndpoint ??
      (this.options.orchestrator
        ? (url: string) => (this.options.orchestrator as ModelOrchestrator).checkProviderEndpoint(url)
        : (url: string) => createGuardedHttpClient().checkUrl(url));
    try {
      await check(baseUrl);
    } catch (error) {
      if (!(error instanceof OutboundHttpError)) throw error;
      const reason = error.code === "DNS_FAILED" ? `${error.message}; check the host name` : error.message;
      throw new ModelAdminError(`baseUrl cannot be used: ${reason}`, { field: "baseUrl", cause: error });
    }
  }

  /**
   * Creates or updates a provider; the key is encrypted bound to the row and never returned. A base
   * URL must be one the platform may contact (see {@link checkEndpoint}).
   */
  async saveProvider(tenantId: string, input: z.input<typeof saveProviderSchema>): Promise<ProviderSummary> {
    const data = saveProviderSchema.parse(input);
    if (data.baseUrl) await this.checkEndpoint(data.baseUrl);
    const client = this.options.db.forTenant(tenantId);
    const id = await client.$transaction(async (tx) => {
      if (data.id && data.apiKey === undefined) {
        const current = await tx.modelProvider.findFirst({ where: { id: data.id } });
        if (current) assertKeyFollowsEndpoint(current, data);
      }
      const fields = {
        name: data.name,
        kind: data.kind,
        baseUrl: data.baseUrl ?? null,
        config: data.options,
        enabled: data.enabled,
      };
      const row = data.id
        ? await tx.modelProvider.update({ where: { id: data.id }, data: fields })
        : await tx.modelProvider.create({ data: { tenantId, ...fields } });
      if (data.apiKey !== undefined) {
        const ciphertext =
          data.apiKey === null
            ? null
            : this.options.vault.encrypt(data.apiKey, providerKeyBinding(tenantId, row.id));
        await tx.modelProvider.update({
          where: { id: row.id },
          data: {
            apiKeyCiphertext: ciphertext,
            apiKeyKeyId: ciphertext ? this.options.vault.keyIdOf(ciphertext) : null,
          },
        });
      }
      return row.id;
    });
    this.changed(tenantId);
    const saved = (await this.listProviders(tenantId)).find((provider) => provider.id === id);
    if (!saved) throw new ModelAdminError(`provider ${id} vanished while saving`);
    return saved;
  }

  async deleteProvider(tenantId: string, providerId: string): Promise<boolean> {
    const { count } = await this.options.db
      .forTenant(tenantId)
      .modelProvider.deleteMany({ where: { id: providerId } });
    this.changed(tenantId);
    return count > 0;
  }

  async listRoutes(
    tenantId: string,
  ): Promise<
    Array<{ id: string; name: string; description: string; policy: RoutePolicy; isDefault: boolean }>
  > {
    const rows = await this.options.db.forTenant(tenantId).modelRoute.findMany({ orderBy: { name: "asc" } });
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      policy: routePolicySchema.parse(row.policy),
      isDefault: row.isDefault,
    }));
  }

  /** Creates or updates a route. Every target must name a configured provider. */
  async saveRoute(tenantId: string, input: z.input<typeof saveRouteSchema>) {
    const data = saveRouteSchema.parse(input);
    const providers = new Set((await this.listProviders(tenantId)).map((provider) => provider.name));
    const unknown = data.policy.targets.filter(
      (target) => !providers.has(target.provider) && target.provider !== "offline",
    );
    if (unknown.length > 0) {
      throw new ModelAdminError(
        `route "${data.name}" names provider(s) that are not configured: ${[...new Set(unknown.map((t) => t.provider))].join(", ")}`,
      );
    }
    const client = this.options.db.forTenant(tenantId);
    const id = await client.$transaction(async (tx) => {
      if (data.isDefault)
        await tx.modelRoute.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
      const fields = {
        name: data.name,
        description: data.description,
        policy: data.policy,
        isDefault: data.isDefault,
      };
      const row = data.id
        ? await tx.modelRoute.update({ where: { id: data.id }, data: fields })
        : await tx.modelRoute.create({ data: { tenantId, ...fields } });
      return row.id;
    });
    this.changed(tenantId);
    return (await this.listRoutes(tenantId)).find((route) => route.id === id);
  }

  async deleteRoute(tenantId: string, routeId: string): Promise<boolean> {
    const { count } = await this.options.db
      .forTenant(tenantId)
      .modelRoute.deleteMany({ where: { id: routeId } });
    this.changed(tenantId);
    return count > 0;
  }

  async listPrices(tenantId: string) {
    const rows = await this.options.db
      .forTenant(tenantId)
      .modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }] });
    return rows.map((row) => ({
      id: row.id,
      provider: row.provider,
      model: row.model,
      inputPerMillion: Number(row.inputPerMillion),
      outputPerMillion: Number(row.outputPerMillion),
    }));
  }

  /** Sets the tenant's price of one provider/model (USD per million tokens). */
  async savePrice(tenantId: string, input: z.input<typeof modelPriceSchema>) {
    const price = modelPriceSchema.parse(input);
    const client = this.options.db.forTenant(tenantId);
    const existing = await client.modelPrice.findFirst({
      where: { provider: price.provider, model: price.model },
    });
    const fields = {
      inputPerMillion: String(price.inputPerMillion),
      outputPerMillion: String(price.outputPerMillion),
    };
    if (existing) await client.modelPrice.update({ where: { id: existing.id }, data: fields });
    else
      await client.modelPrice.create({
        data: { tenantId, provider: price.provider, model: price.model, ...fields },
      });
    this.changed(tenantId);
    return (await this.listPrices(tenantId)).find(
      (row) => row.provider === price.provider && row.model === price.model,
    );
  }

  async deletePrice(tenantId: string, priceId: string): Promise<boolean> {
    const { count } = await this.options.db
      .forTenant(tenantId)
      .modelPrice.deleteMany({ where: { id: priceId } });
    this.changed(tenantId);
    return count > 0;
  }

  async listBudgets(tenantId: string, now: Date = new Date()) {
    const client = this.options.db.forTenant(tenantId);
    const [rows, routes] = await Promise.all([
      client.budget.findMany(),
      client.modelRoute.findMany({ select: { id: true, name: true } }),
    ]);
    const routeNames = new Map(routes.map((route) => [route.id, route.name]));
    const period = periodOf(now);
    return rows.map((row) => {
      const current = row.periodStart.toISOString().slice(0, 10) === period;
      return budgetSchema.parse({
        id: row.id,
        tenantId: row.tenantId,
        ...(row.botId ? { botId: row.botId } : {}),
        monthlyLimitUsd: Number(row.monthlyLimitUsd),
        action: row.action,
        ...(row.downgradeRouteId && routeNames.get(row.downgradeRouteId)
          ? { downgradeRoute: routeNames.get(row.downgradeRouteId) }
          : {}),
        warnAtPercent: row.warnAtPercent,
        periodStart: period,
        spentUsd: current ? Number(row.spentUsd) : 0,
        ...(current && row.warnedAt ? { warnedAt: row.warnedAt.toISOString() } : {}),
      });
    });
  }

  /** Creates or updates the tenant's budget (no botId) or a bot's budget; spend so far is kept. */
  async saveBudget(tenantId: string, input: z.input<typeof saveBudgetSchema>, now: Date = new Date()) {
    const data = saveBudgetSchema.parse(input);
    const client = this.options.db.forTenant(tenantId);
    let downgradeRouteId: string | null = null;
    if (data.action === "downgrade") {
      if (!data.downgradeRoute) throw new ModelAdminError("a budget that downgrades needs a downgradeRoute");
      const route = await client.modelRoute.findFirst({ where: { name: data.downgradeRoute } });
      if (!route) throw new ModelAdminError(`downgrade route "${data.downgradeRoute}" does not exist`);
      downgradeRouteId = route.id;
    }
    const fields = {
      monthlyLimitUsd: String(data.monthlyLimitUsd),
      action: data.action,
      downgradeRouteId,
      warnAtPercent: data.warnAtPercent,
    };
    const existing = await client.budget.findFirst({ where: { botId: data.botId ?? null } });
    if (existing) await client.budget.update({ where: { id: existing.id }, data: fields });
    else {
      await client.budget.create({
        data: {
          tenantId,
          botId: data.botId ?? null,
          periodStart: new Date(`${periodOf(now)}T00:00:00Z`),
          ...fields,
        },
      });
    }
    this.changed(tenantId);
    return (await this.listBudgets(tenantId, now)).find((budget) => budget.botId === data.botId);
  }

  async deleteBudget(tenantId: string, budgetId: string): Promise<boolean> {
    const { count } = await this.options.db
      .forTenant(tenantId)
      .budget.deleteMany({ where: { id: budgetId } });
    this.changed(tenantId);
    return count > 0;
  }

  /** The tenant's embedding model for the knowledge base, or null (full-text retrieval only). */
  async getEmbeddings(tenantId: string): Promise<EmbeddingSettings | null> {
    const tenant = await this.options.db
      .forTenant(tenantId)
      .tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
    return modelsPart(tenant?.settings, tenantModelSettingsSchema).embeddings ?? null;
  }

  /**
   * Sets (or with null removes) the tenant's embedding model. The provider must be configured and of
   * the OpenAI family. Documents indexed before keep their vectors' model: re-upload them to embed
   * them with a new one (until then they are found by their words).
   */
  async saveEmbeddings(
    tenantId: string,
    input: z.input<typeof saveEmbeddingsSchema> | null,
  ): Promise<EmbeddingSettings | null> {
    const settings = input === null ? null : saveEmbeddingsSchema.parse(input);
    if (settings) {
      const provider = (await this.listProviders(tenantId)).find((p) => p.name === settings.provider);
      if (!provider) throw new ModelAdminError(`provider "${settings.provider}" is not configured`);
      if (!EMBEDDING_KINDS.has(provider.kind)) {
        throw new ModelAdminError(
          `provider "${settings.provider}" (${provider.kind}) does not serve embeddings; use an OpenAI, Azure OpenAI or OpenAI-compatible provider`,
        );
      }
    }
    const client = this.options.db.forTenant(tenantId);
    await client.$transaction(async (tx) => {
      const tenant = await tx.tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
      const current =
        tenant?.settings && typeof tenant.settings === "object" && !Array.isArray(tenant.settings)
          ? (tenant.settings as Record<string, unknown>)
          : {};
      const models =
        current.models && typeof current.models === "object" && !Array.isArray(current.models)
          ? { ...(current.models as Record<string, unknown>) }
          : {};
      if (settings) models.embeddings = settings;
      else delete models.embeddings;
      await tx.tenant.update({
        where: { id: tenantId },
        data: { settings: JSON.parse(JSON.stringify({ ...current, models })) },
      });
    });
    this.changed(tenantId);
    return settings;
  }

  /**
   * Names routing preferences may use: the workspace's routes and providers, the environment's
   * (through the orchestrator's merged configuration, when there is one), and `offline`.
   */
  private async routingNames(tenantId: string): Promise<RoutingNames> {
    const [providers, routes, merged] = await Promise.all([
      this.listProviders(tenantId),
      this.listRoutes(tenantId),
      this.options.orchestrator?.configFor(tenantId),
    ]);
    const workspaceRoutes = new Set(routes.map((route) => route.name));
    return {
      workspaceRoutes,
      routes: new Set([...workspaceRoutes, ...Object.keys(merged?.routes ?? {})]),
      providers: new Set([
        "offline",
        ...providers.map((provider) => provider.name),
        ...(merged?.providers ?? []).map((provider) => provider.name),
      ]),
    };
  }

  /** The workspace's default route (null: the route named `default`) and preferred providers. */
  getTenantRouting(tenantId: string): Promise<TenantRouting> {
    return readTenantRouting(this.options.db.forTenant(tenantId), tenantId);
  }

  /**
   * Sets the workspace's default route (one of its routes, or null) and its preferred providers in
   * order (configured providers, each once). Every problem is reported at once, by field path.
   */
  async saveTenantRouting(
    tenantId: string,
    input: z.input<typeof saveTenantRoutingSchema>,
  ): Promise<TenantRouting> {
    const routing = saveTenantRoutingSchema.parse(input);
    const issues = tenantRoutingIssues(routing, await this.routingNames(tenantId));
    if (issues.length > 0)
      throw new ModelAdminError(`the routing preferences have problems: ${describe(issues)}`, { issues });
    await writeTenantRouting(this.options.db.forTenant(tenantId), tenantId, routing);
    this.changed(tenantId);
    return this.getTenantRouting(tenantId);
  }

  /** Routing choices of every (unarchived) bot of the tenant. */
  listBotRouting(tenantId: string): Promise<BotRouting[]> {
    return readBotRoutings(this.options.db.forTenant(tenantId));
  }

  /** One bot's routing choices, or undefined when the tenant has no such bot. */
  async getBotRouting(tenantId: string, botId: string): Promise<BotRouting | undefined> {
    return (await readBotRoutings(this.options.db.forTenant(tenantId), botId))[0];
  }

  /**
   * Sets one bot's default route (a workspace route, or null for the workspace's), its route
   * overrides (a node asking for `requested` gets `route`, an existing route; each name once, never
   * `default`) and its preferred providers (null: the workspace's). Every problem is reported at
   * once, by field path; a bot of another tenant is reported on `botId`.
   */
  async saveBotRouting(
    tenantId: string,
    botId: string,
    input: z.input<typeof saveBotRoutingSchema>,
  ): Promise<BotRouting> {
    const routing = saveBotRoutingSchema.parse(input);
    const issues = botRoutingIssues(routing, await this.routingNames(tenantId));
    if (issues.length > 0)
      throw new ModelAdminError(`the bot's routing has problems: ${describe(issues)}`, { issues });
    const client = this.options.db.forTenant(tenantId);
    if (!(await writeBotRouting(client, botId, routing)))
      throw new ModelAdminError(`bot ${botId} was not found`, { field: "botId" });
    this.changed(tenantId);
    const saved = (await readBotRoutings(client, botId))[0];
    if (!saved) throw new ModelAdminError(`bot ${botId} vanished while saving`, { field: "botId" });
    return saved;
  }

  /** Sends one prompt through the routing layer, for the studio's "try it" box. */
  async tryPrompt(
    tenantId: string,
    input: { prompt: string; route?: string; botId?: string },
    signal: AbortSignal = AbortSignal.timeout(60_000),
  ): Promise<TryPromptResult> {
    const orchestrator = this.options.orchestrator;
    if (!orchestrator) throw new ModelAdminError("no orchestrator is configured for trying prompts");
    const response = await orchestrator.complete(
      {
        route: input.route ?? "default",
        messages: [{ role: "user", content: z.string().min(1).parse(input.prompt) }],
      },
      // A route named on purpose that does not exist is an error to show, not a reason to answer
      // through the default route (which bots' llm nodes get).
      { tenantId, unknownRoutes: "fail", ...(input.botId ? { botId: input.botId } : {}) },
      { signal },
    );
    const { record } = response;
    return {
      text: response.text,
      ...(record.provider ? { provider: record.provider } : {}),
      ...(record.model ? { model: record.model } : {}),
      requestedRoute: record.requestedRoute,
      route: record.route,
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      costUsd: record.costUsd,
      latencyMs: record.latencyMs,
      cacheHit: record.cacheHit,
      attempts: record.attempts,
    };
  }
}

/**
 * A stored key was entered for one endpoint: moving the provider to another base URL or kind while
 * keeping it would send the owner's key wherever the editor points it. Such a change needs the key
 * again (or `apiKey: null` to drop it), reported on `apiKey`.
 */
function assertKeyFollowsEndpoint(
  current: { apiKeyCiphertext: string | null; baseUrl: string | null; kind: string },
  next: { baseUrl?: string | undefined; kind: string },
): void {
  if (current.apiKeyCiphertext === null) return;
  const changed = [
    ...((current.baseUrl ?? null) !== (next.baseUrl ?? null) ? ["base URL"] : []),
    ...(current.kind !== next.kind ? ["kind"] : []),
  ];
  if (changed.length === 0) return;
  throw new ModelAdminError(
    `changing the provider's ${changed.join(" and ")} needs its API key again (the stored key is not sent to a new endpoint)`,
    { field: "apiKey" },
  );
}

/** Issues as one line, for the error's message. */
function describe(issues: readonly RoutingIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
}

/** The database-backed configuration source to give the orchestrator, with an admin that invalidates it. */
export function createDatabaseModelConfig(options: {
  db: Pick<Database, "forTenant">;
  vault: SecretVault;
  cacheTtlMs?: number;
}) {
  const source = databaseConfigSource(options);
  return {
    source,
    admin: (orchestrator?: ModelOrchestrator) =>
      new ModelAdmin({
        db: options.db,
        vault: options.vault,
        ...(orchestrator ? { orchestrator } : {}),
        onChange: source.invalidate,
      }),
  };
}
