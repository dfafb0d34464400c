import type { Database, TenantClient, TranscriptStore } from "@parley/db";
import type { ClockPort, EnginePorts, LoggerPort } from "@parley/engine";
import type { GuardedHttpClient, Infrastructure, SecretVault } from "@parley/infra";
import type { ModelEngineServices } from "@parley/models";
import type { Permission } from "./access/permissions";
import { type Role, roleAllows } from "./access/roles";
import { scopesAllow } from "./access/scopes";
import type { Mailer } from "./accounts/mailer";
import { ServiceError } from "./errors";

/** Who is calling: a signed-in member, an API key, the widget (publishable key) or the system itself. */
export type Actor =
  | { readonly type: "user"; readonly userId: string; readonly role: Role; readonly label: string }
  | {
      readonly type: "api_key";
      readonly keyId: string;
      readonly scopes: readonly string[];
      readonly label: string;
    }
  | { readonly type: "widget"; readonly botId: string; readonly label: string }
  | { readonly type: "system"; readonly label: string };

/** Hooks the host process uses to observe turns (metrics); all optional. */
export interface TurnObserver {
  turnCompleted?(info: {
    tenantId: string;
    botId: string;
    latencyMs: number;
    status: string;
    /** The conversation's channel (web, api, whatsapp, slack, ...), for per-channel rates. */
    channel: string;
  }): void;
  effectFailed?(info: { kind: string; outcome: string }): void;
  conversationStarted?(info: { channel: string }): void;
  conversationEnded?(info: { channel: string }): void;
  /** A conversation was handed to a human. */
  handoffRequested?(info: { tenantId: string; botId: string }): void;
  /** A model call was recorded (the model layer's `llm.call` event). */
  llmCallRecorded?(info: { tenantId: string; provider: string; costUsd: number; cacheHit: boolean }): void;
}

/** Long-lived dependencies shared by every call in a process. */
export interface CoreDeps {
  readonly db: Database;
  readonly infra: Infrastructure;
  /** Encrypts webhook secrets and integration credentials; services that need it fail without. */
  readonly vault?: SecretVault;
  /** Outbound HTTP on tenants' behalf (http nodes, webhooks). */
  readonly http?: GuardedHttpClient;
  /** Engine ports for turns (llm, nlu, knowledge); the runtime's http port wraps `http`. */
  readonly enginePorts?: (scope: { tenantId: string; botId: string; conversationId: string }) => EnginePorts;
  /**
   * The model layer (providers, routes, budgets, prices, the knowledge base) the model-settings and
   * knowledge services manage; they answer `unavailable` without it.
   */
  readonly models?: ModelEngineServices;
  readonly clock?: ClockPort;
  readonly logger?: LoggerPort;
  readonly observer?: TurnObserver;
  /** Per-conversation turn budget: points per minute (default 120). */
  readonly conversationRateLimit?: number;
  /**
   * The hot conversation cache: how long an idle conversation's entry lives (default 15 minutes) and
   * the largest entry kept (default 64 KiB of JSON; a bigger conversation is read from the database).
   */
  readonly hotCache?: { readonly ttlMs?: number; readonly maxEntryBytes?: number };
  /**
   * Wraps every await on an external effect of a turn (llm, http and knowledge ports): the host's
   * admission control releases the request's slot for the wait and takes it back after, so slow
   * models do not hold CPU slots. Default: runs `fn` as is.
   */
  readonly ioWait?: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Where transcripts (conversation list rows and messages) are read from when they are not in
   * Postgres: the MongoDB store when `MONGODB_URL` is set (see docs/mongodb.md). Unset: Postgres,
   * where the turn writes them. The turn's state stays in Postgres either way.
   */
  readonly transcripts?: TranscriptStore;
  /**
   * With {@link transcripts} in MongoDB: how many messages with text Postgres keeps per conversation
   * once they are copied (`PARLEY_TRANSCRIPT_HOT_MESSAGES`, default 100, never below what a turn
   * reads); older ones are pruned from Postgres. Unused without MongoDB.
   */
  readonly transcriptHotMessages?: number;
  /** Sends invitations and password reset links; services that mail fail without. */
  readonly mailer?: Mailer;
  /** The studio's public URL: links in e-mails point there. */
  readonly studioUrl?: string;
  /** The runtime's public base URL (`RUNTIME_PUBLIC_URL`): channel webhook URLs are built from it. */
  readonly runtimePublicUrl?: string;
  /** Channel reply delivery: attempts per reply (default 6), the first retry delay (default 1,000 ms), typing. */
  readonly channelDelivery?: {
    readonly maxAttempts?: number;
    readonly baseDelayMs?: number;
    /** How long a turn runs before the typing indicator is shown (default 400 ms; 0 shows it at once). */
    readonly typingDelayMs?: number;
  };
}

/** Everything one service call needs: dependencies, the tenant, the actor and request facts. */
export interface ServiceContext {
  readonly deps: CoreDeps;
  readonly tenantId: string;
  readonly actor: Actor;
  readonly requestId?: string;
  readonly ipAddress?: string;
  readonly userAgent?: string;
}

/** What a publishable (widget) key may do: talk to its bot, nothing else. */
const WIDGET_PERMISSIONS = new Set<Permission>(["conversations:write", "conversations:read"]);

/** Whether `actor` holds `permission` (role for people, scopes for keys). */
export function actorCan(actor: Actor, permission: Permission): boolean {
  switch (actor.type) {
    case "system":
      return true;
    case "user":
      return roleAllows(actor.role, permission);
    case "api_key":
      return scopesAllow(actor.scopes, permission);
    case "widget":
      return WIDGET_PERMISSIONS.has(permission);
  }
}

/** Throws a `forbidden` ServiceError unless the context's actor holds `permission`. */
export function authorize(ctx: ServiceContext, permission: Permission): void {
  if (!actorCan(ctx.actor, permission)) {
    const who =
      ctx.actor.type === "api_key"
        ? "this API key"
        : ctx.actor.type === "widget"
          ? "a publishable key"
          : "your role";
    throw new ServiceError("forbidden", "forbidden", `${who} does not allow ${permission}`);
  }
}

/** The tenant-scoped database client of a context. */
export const tenantDb = (ctx: ServiceContext): TenantClient => ctx.deps.db.forTenant(ctx.tenantId);

/** Current time of a context (the injected clock, for tests). */
export const nowOf = (deps: CoreDeps): Date => new Date(deps.clock?.now() ?? Date.now());

/** A system context for background work (timers, webhooks) and seeding. */
export function systemContext(deps: CoreDeps, tenantId: string, label = "system"): ServiceContext {
  return { deps, tenantId, actor: { type: "system", label } };
}
