import type { TenantClient } from "@parley/db";
import type { ServiceContext } from "./context";

/** What one audited mutation did. */
export interface AuditRecord {
  /** Dotted verb, e.g. `bot.create`, `api_key.revoke`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** State before/after for settings changes; never secrets. */
  before?: unknown;
  after?: unknown;
}

const ACTOR_TYPE = { user: "user", api_key: "api_key", widget: "system", system: "system" } as const;

/** Appends an audit log entry for a mutation, in the caller's transaction when `db` is one. */
export async function recordAudit(db: TenantClient, ctx: ServiceContext, record: AuditRecord): Promise<void> {
  const actor = ctx.actor;
  await db.auditLogEntry.create({
    data: {
      tenantId: ctx.tenantId,
      actorType: ACTOR_TYPE[actor.type],
      actorId: actor.type === "user" ? actor.userId : actor.type === "api_key" ? actor.keyId : null,
      actorLabel: actor.label,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId ?? null,
      ...(record.before === undefined ? {} : { before: toJson(record.before) }),
      ...(record.after === undefined ? {} : { after: toJson(record.after) }),
      ipAddress: ctx.ipAddress ?? null,
      userAgent: ctx.userAgent ?? null,
      requestId: ctx.requestId ?? null,
    },
  });
}

function toJson(value: unknown): never {
  return JSON.parse(JSON.stringify(value ?? null)) as never;
}
