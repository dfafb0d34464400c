import { TenantScopeError } from "../errors";
import { type ModelName, scopeOf } from "./tenant-models";

type Args = Record<string, unknown>;

/** Operations that take a unique `where` (Prisma's WhereUniqueInput). */
const UNIQUE_WHERE = new Set(["findUnique", "findUniqueOrThrow", "update", "delete", "upsert"]);
/** Operations that take a filter `where`. */
const FILTER_WHERE = new Set([
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "updateMany",
  "updateManyAndReturn",
  "deleteMany",
  "count",
  "aggregate",
  "groupBy",
]);
/** Operations that create rows from `data`. */
const CREATES = new Set(["create", "createMany", "createManyAndReturn"]);
/** Operations that change rows through `data`. */
const UPDATES = new Set(["update", "updateMany", "updateManyAndReturn"]);
/** What the Tenant row itself allows through a tenant-scoped client (reading it and renaming it). */
const TENANT_ROW_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "update",
]);

/**
 * Returns `args` of a model operation restricted to one tenant (internal; the heart of the scoping layer).
 *
 * - Tenant-owned models (a `tenantId` field): every filter gets `tenantId = <tenant>`, every created row is
 *   stamped with it, and an explicit `tenantId` naming another tenant is refused, in where and in data.
 *   Nested creates need nothing: composite foreign keys fill `tenantId` from the parent, and the checked
 *   input form has to name `tenant` explicitly, which row-level security then checks.
 * - The Tenant model: only the scoped tenant's own row can be read or updated.
 * - Global models (users, sessions, reset tokens): refused; they belong to the system client.
 */
export function scopeArguments(model: ModelName, operation: string, args: unknown, tenantId: string): Args {
  const input: Args = isRecord(args) ? { ...args } : {};
  const scope = scopeOf(model);
  if (scope === "global") {
    throw new TenantScopeError(
      `${model} is not tenant-owned, so a tenant-scoped client cannot ${operation} it; use db.system for ` +
        "cross-tenant system operations.",
    );
  }
  if (scope === "tenant-row") return scopeTenantRow(operation, input, tenantId);

  if (UNIQUE_WHERE.has(operation)) input.where = scopeUniqueWhere(model, input.where, tenantId);
  else if (FILTER_WHERE.has(operation)) input.where = andTenant(input.where, { tenantId });
  else if (!CREATES.has(operation)) {
    throw new TenantScopeError(`${model}.${operation} is not supported by the tenant-scoped client`);
  }

  if (CREATES.has(operation)) input.data = stampAll(model, input.data, tenantId);
  if (UPDATES.has(operation)) checkNotMoved(model, input.data, tenantId);
  if (operation === "upsert") {
    input.create = stamp(model, input.create, tenantId);
    checkNotMoved(model, input.update, tenantId);
  }
  return input;
}

function scopeTenantRow(operation: string, input: Args, tenantId: string): Args {
  if (!TENANT_ROW_OPERATIONS.has(operation)) {
    throw new TenantScopeError(`Tenant.${operation} is a system operation; use db.system`);
  }
  if (UNIQUE_WHERE.has(operation)) {
    const where = isRecord(input.where) ? input.where : {};
    input.where = { ...where, AND: [...toArray(where.AND), { id: tenantId }] };
  } else {
    input.where = andTenant(input.where, { id: tenantId });
  }
  if (isRecord(input.data) && "id" in input.data) {
    throw new TenantScopeError("A tenant-scoped client cannot change the tenant id");
  }
  return input;
}

/** Adds `tenantId` to a unique where, refusing one that already names another tenant. */
function scopeUniqueWhere(model: ModelName, where: unknown, tenantId: string): Args {
  if (!isRecord(where)) throw new TenantScopeError(`${model}: a unique where is required`);
  for (const [key, value] of Object.entries(where)) {
    // Compound unique keys that include tenantId, e.g. tenantId_userId: { tenantId, userId }.
    if (key.startsWith("tenantId_") && isRecord(value)) assertSameTenant(model, value.tenantId, tenantId);
  }
  if ("tenantId" in where) assertSameTenant(model, where.tenantId, tenantId);
  return { ...where, tenantId };
}

function andTenant(where: unknown, condition: Args): Args {
  return isRecord(where) && Object.keys(where).length > 0 ? { AND: [where, condition] } : condition;
}

function stampAll(model: ModelName, data: unknown, tenantId: string): unknown {
  return Array.isArray(data) ? data.map((row) => stamp(model, row, tenantId)) : stamp(model, data, tenantId);
}

/** Stamps one row of create data with the tenant (unchecked form) or checks its `tenant` relation. */
function stamp(model: ModelName, data: unknown, tenantId: string): Args {
  if (!isRecord(data)) throw new TenantScopeError(`${model}: create data must be an object`);
  if ("tenant" in data) {
    // Checked input form: the tenant relation must point at this tenant.
    const connect = isRecord(data.tenant) && isRecord(data.tenant.connect) ? data.tenant.connect : undefined;
    if (!connect || connect.id !== tenantId) {
      throw new TenantScopeError(
        `${model}: a tenant-scoped create may only connect tenant ${tenantId}; omit tenant and it is filled in`,
      );
    }
    return data;
  }
  if ("tenantId" in data) assertSameTenant(model, data.tenantId, tenantId);
  return { ...data, tenantId };
}

/** Refuses updates that would move a row to another tenant. */
function checkNotMoved(model: ModelName, data: unknown, tenantId: string): void {
  if (!isRecord(data)) return;
  if ("tenantId" in data) assertSameTenant(model, data.tenantId, tenantId);
  if ("tenant" in data)
    throw new TenantScopeError(`${model}: a tenant-scoped update cannot change the tenant`);
}

function assertSameTenant(model: ModelName, given: unknown, tenantId: string): void {
  if (given !== tenantId) {
    throw new TenantScopeError(
      `${model}: tenantId ${JSON.stringify(given)} does not match the scoped tenant ${tenantId}`,
    );
  }
}

function toArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
