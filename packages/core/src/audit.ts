import type { Database, TenantClient } from "@parley/db";
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

/** The id an audit entry records for `actor`: the user's or the key's, none for the widget and the system. */
export function auditActorId(actor: ServiceContext["actor"]): string | null {
  return actor.type === "user" ? actor.userId : actor.type === "api_key" ? actor.keyId : null;
}

/** Appends an audit log entry for a mutation, in the caller's transaction when `db` is one. */
export async function recordAudit(db: TenantClient, ctx: ServiceContext, record: AuditRecord): Promise<void> {
  const actor = ctx.actor;
  await db.auditLogEntry.create({
    data: {
      tenantId: ctx.tenantId,
      actorType: ACTOR_TYPE[actor.type],
      actorId: auditActorId(actor),
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

/** What happened to an account: the audit actions of sign-in, sign-out, password reset and workspace switch. */
export type AccountAuditAction =
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "auth.sign_out"
  | "auth.password_reset_requested"
  | "auth.password_reset_completed"
  | "auth.tenant_switch"
  | "auth.sign_in_throttled"
  | "auth.password_reset_throttled"
  | "auth.sign_up_existing_email"
  | "auth.mfa_enabled"
  | "auth.mfa_disabled"
  | "auth.mfa_recovery_codes_regenerated"
  | "auth.mfa_recovery_code_used"
  | "auth.mfa_failed";

/** An account event, written to the audit log of the workspaces the account belongs to. */
export interface AccountAuditEvent {
  action: AccountAuditAction;
  /** The account the event is about. */
  userId: string;
  /** The e-mail address used (for a failed sign-in: the one typed, which is the account's). */
  email: string;
  /**
   * Whether that account's owner did it (signed in, or holding the reset link). A failed sign-in
   * and a reset request may come from anyone who knows the address: no actor id is recorded then.
   */
  byAccountOwner: boolean;
  /** The workspaces to write to; default: every workspace the account is a member of. */
  tenantIds?: readonly string[];
  /** Facts worth keeping (a failure reason, the workspace switched to); never a password or token. */
  after?: unknown;
  ipAddress?: string | null;
  userAgent?: string | null;
}

/**
 * Records an account event in the audit log of each workspace of the account (account events belong
 * to no single workspace; every workspace admin sees their members' sign-ins). Events about an
 * e-mail address without an account are not recorded: they belong to no workspace.
 */
export async function recordAccountAudit(db: Database, event: AccountAuditEvent): Promise<void> {
  const tenantIds =
    event.tenantIds ??
    (
      await db.system.membership.findMany({
        where: { userId: event.userId, tenant: { disabledAt: null } },
        select: { tenantId: true },
      })
    ).map((membership) => membership.tenantId);
  if (tenantIds.length === 0) return;
  await db.system.auditLogEntry.createMany({
    data: tenantIds.map((tenantId) => ({
      tenantId,
      actorType: "user" as const,
      actorId: event.byAccountOwner ? event.userId : null,
      actorLabel: event.email,
      action: event.action,
      targetType: "user",
      targetId: event.userId,
      ...(event.after === undefined ? {} : { after: toJson(event.after) }),
      ipAddress: event.ipAddress ?? null,
      userAgent: event.userAgent ?? null,
    })),
  });
}
