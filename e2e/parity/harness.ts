import type { AddressInfo } from "node:net";
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  createApiKey,
  type Permission,
  type Role,
  roleAllows,
  roleSchema,
  type ServiceContext,
} from "@parley/core";
import { buildRuntimeServer } from "@parley/runtime/server";
import {
  createStudioHarness,
  type StudioCaller,
  type StudioHarness,
} from "@parley/studio/server/test-support/harness";
import { TRPCError } from "@trpc/server";
import type { AnyParityRow, ParityActor, ParityFixture } from "./row";

/** What one side answered: the value, or the error code (tRPC code, or HTTP status and problem). */
export type StudioOutcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/** An HTTP answer of the runtime. */
export interface RestOutcome {
  status: number;
  contentType: string;
  body: unknown;
}

/** An audit row as the parity test compares them. */
export interface AuditRow {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
}

/** A real database, one tenant with a member of each role, the studio's API and the runtime on a socket. */
export interface ParityHarness {
  readonly fixture: ParityFixture;
  readonly runtimeUrl: string;
  readonly studio: StudioHarness;
  /** Calls a studio procedure (`members.changeRole`) as the tenant's member of `role`. */
  callStudio(role: Role, procedure: string, input: unknown): Promise<StudioOutcome>;
  /** Calls the REST API with a key holding exactly `scopes` (keys are made once per scope set). */
  callRest(
    scopes: readonly ApiKeyScope[],
    method: string,
    path: string,
    body?: unknown,
  ): Promise<RestOutcome>;
  /** The id of the key with `scopes` (the actor id its audit rows carry). */
  keyIdFor(scopes: readonly ApiKeyScope[]): Promise<string>;
  /** The ids of the tenant's audit rows now (to find the rows a call adds). */
  auditIds(): Promise<Set<string>>;
  /** The audit rows written since `before` was taken. */
  auditSince(before: Set<string>): Promise<AuditRow[]>;
  close(): Promise<void>;
}

const rank = roleSchema.options;

/**
 * The scopes of the key equivalent to `role`: every grantable scope the role holds (`*` never, so
 * the set is explicit). The harness makes one such key per role up front.
 */
export const roleScopes = (role: Role): ApiKeyScope[] =>
  API_KEY_SCOPES.filter((scope) => scope !== "*" && roleAllows(role, scope as Permission));

/** Every grantable scope except `permission` (and except `*`, which could grant it). */
export const scopesWithout = (permission: Permission): ApiKeyScope[] =>
  API_KEY_SCOPES.filter((scope) => scope !== "*" && scope !== permission);

/**
 * The actor a row's allowed calls use: the least powerful role holding the permission, and that
 * role's equivalent key.
 */
export function allowedActor(row: AnyParityRow): ParityActor {
  if (row.allowed) return row.allowed;
  // `agent` stands beside the ladder (its reads are limited to its bots' inbox): the ladder's least role.
  const ladder = rank.filter((r) => r !== "agent");
  const role = [...ladder].reverse().find((r) => roleAllows(r, row.permission)) ?? "owner";
  return { role, scopes: roleScopes(role) };
}

/**
 * The actor a row's refused calls use: the most powerful role lacking the permission and its
 * equivalent key; when every role holds it (`members:read`), no studio call and a key with every
 * grantable scope but the permission.
 */
export function deniedActor(row: AnyParityRow): { role: Role | null; scopes: readonly ApiKeyScope[] } {
  if (row.denied) return row.denied;
  const role = rank.find((r) => !roleAllows(r, row.permission)) ?? null;
  return { role, scopes: role ? roleScopes(role) : scopesWithout(row.permission) };
}

function call(caller: StudioCaller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  if (typeof target !== "function") throw new Error(`no studio procedure ${path}`);
  return (target as (input: unknown) => Promise<unknown>)(input);
}

let counter = 0;

/** Starts the harness: studio harness (fresh test database), tenant and members, runtime on 127.0.0.1. */
export async function createParityHarness(): Promise<ParityHarness> {
  const studio = await createStudioHarness();
  const deps = studio.services.core;
  const { tenantId, ownerId, ownerEmail } = await studio.tenant("Parity");
  const members = { owner: { userId: ownerId, email: ownerEmail } } as Record<
    Role,
    { userId: string; email: string }
  >;
  for (const role of rank.filter((r) => r !== "owner")) members[role] = await studio.member(tenantId, role);
  const owner: ServiceContext = {
    deps,
    tenantId,
    actor: { type: "user", userId: ownerId, role: "owner", label: ownerEmail },
  };
  const fixture: ParityFixture = {
    tenantId,
    owner,
    members,
    deps,
    member: (role) => studio.member(tenantId, role),
    unique: (label) => `${label}-${process.pid}-${Date.now()}-${counter++}`,
  };

  const app = buildRuntimeServer({ readinessChecks: [], deps, logLevel: "silent" });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const runtimeUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const callers = new Map<Role, StudioCaller>();
  const keys = new Map<string, Promise<{ key: string; keyId: string }>>();
  const keyFor = (scopes: readonly ApiKeyScope[]) => {
    const name = [...scopes].sort().join(" ");
    let key = keys.get(name);
    if (!key) {
      key = createApiKey(owner, { name: `parity ${keys.size}`, scopes: [...scopes] }).then((created) => ({
        key: created.key,
        keyId: created.apiKey.id,
      }));
      keys.set(name, key);
    }
    return key;
  };

  // One key per role-equivalent scope set, made before any row runs.
  for (const role of rank) await keyFor(roleScopes(role));

  return {
    fixture,
    runtimeUrl,
    studio,
    async callStudio(role, procedure, input) {
      let caller = callers.get(role);
      if (!caller) {
        caller = await studio.as(members[role].userId, tenantId);
        callers.set(role, caller);
      }
      try {
        return { ok: true, value: await call(caller, procedure, input) };
      } catch (error) {
        if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message };
        throw error;
      }
    },
    async callRest(scopes, method, path, body) {
      const { key } = await keyFor(scopes);
      const response = await fetch(`${runtimeUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const contentType = response.headers.get("content-type") ?? "";
      const text = await response.text();
      return {
        status: response.status,
        contentType,
        body: contentType.includes("json") && text ? JSON.parse(text) : text,
      };
    },
    keyIdFor: async (scopes) => (await keyFor(scopes)).keyId,
    async auditIds() {
      const rows = await deps.db.system.auditLogEntry.findMany({ where: { tenantId }, select: { id: true } });
      return new Set(rows.map((row) => row.id));
    },
    async auditSince(before) {
      const rows = await deps.db.system.auditLogEntry.findMany({
        where: { tenantId },
        select: { id: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true },
      });
      return rows.filter((row) => !before.has(row.id));
    },
    async close() {
      await app.close();
      await studio.cleanup();
    },
  };
}
