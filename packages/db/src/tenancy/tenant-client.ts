import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";
import { TenantScopeError } from "../errors";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { scopeArguments } from "./scope-arguments";
import { type ModelName, modelProp, type TenantOwnedModelProp } from "./tenant-models";

/**
 * User columns tenant-scoped queries never see: the password hash and the MFA secrets (the
 * parley_app role may not read those columns anyway).
 */
export const tenantOmittedUserFields = {
  passwordHash: true,
  mfaSecret: true,
  mfaPendingSecret: true,
  mfaLastTimeStep: true,
} as const;

/** The Prisma client tenant-scoped queries are built on: see {@link tenantOmittedUserFields}. */
export type TenantBaseClient = PrismaClient<never, { user: typeof tenantOmittedUserFields }>;

/** Options of a tenant-scoped transaction (Prisma's interactive transaction options). */
export interface TenantTransactionOptions {
  /** Longest wait for a connection, in ms. */
  maxWait?: number;
  /** Longest the transaction may run, in ms; it is rolled back after that. */
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * A client whose every operation is confined to one tenant, twice over:
 * 1. the scoping layer filters and stamps `tenantId` on every tenant-owned model (see scopeArguments);
 * 2. each operation runs in a transaction as the `parley_app` role with `app.tenant_id` set, so Postgres
 *    row-level security refuses other tenants' rows even for raw SQL.
 *
 * Exposes the tenant-owned models, the tenant's own `tenant` row, raw SQL (`$queryRaw`, `$executeRaw`
 * and the Unsafe variants, all under row-level security) and `$transaction(fn)`. Global models (users,
 * sessions) are not on it: use `db.system`.
 */
export type TenantClient = Pick<
  TenantBaseClient,
  TenantOwnedModelProp | "tenant" | "$queryRaw" | "$executeRaw" | "$queryRawUnsafe" | "$executeRawUnsafe"
> & {
  /** The tenant this client is confined to. */
  readonly tenantId: string;
  /**
   * Runs `fn` in one transaction with the tenant context set. Every call made through this client (or the
   * `tx` argument, which is the same client) inside `fn` joins the transaction, including calls made
   * concurrently with Promise.all; nested `$transaction` calls join it too. Do not use another client
   * inside `fn`: on the embedded database that waits for this transaction to end.
   */
  $transaction<R>(fn: (tx: TenantClient) => Promise<R>, options?: TenantTransactionOptions): Promise<R>;
};

/** Transaction defaults for tenant-scoped operations; generous because PGlite runs one statement at a time. */
export const DEFAULT_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

const tenantIdSchema = z
  .string({ error: "a tenant id is required (got a non-string)" })
  .refine((id) => id.trim().length > 0, "a tenant id must not be empty");

/** The transaction a tenant-scoped call made inside `$transaction(fn)` belongs to. */
const activeTransaction = new AsyncLocalStorage<ActiveTransaction>();

/**
 * `open` turns false when the callback settles: work it scheduled to run later (a timer, an in-process job)
 * inherits the async context but must not use the finished transaction; it gets a transaction of its own.
 */
interface ActiveTransaction {
  readonly tenantId: string;
  readonly tx: Prisma.TransactionClient;
  open: boolean;
}

/** The caller's still-running tenant transaction, if any. */
function currentTransaction(): ActiveTransaction | undefined {
  const active = activeTransaction.getStore();
  return active?.open ? active : undefined;
}

/**
 * Builds the tenant-scoped client (internal; reach it through `db.forTenant`). Throws
 * {@link TenantScopeError} for a missing, non-string or blank tenant id: never "all tenants".
 */
export function createTenantClient(
  base: TenantBaseClient,
  tenantId: unknown,
  defaults: TenantTransactionOptions = DEFAULT_TRANSACTION_OPTIONS,
): TenantClient {
  const parsed = tenantIdSchema.safeParse(tenantId);
  if (!parsed.success) {
    throw new TenantScopeError(`forTenant(): ${parsed.error.issues[0]?.message ?? "invalid tenant id"}`);
  }
  const scopedTenant = parsed.data;

  /**
   * Runs one operation in the caller's tenant transaction, or else in a batch transaction of its own that
   * first sets the tenant context (a batch costs one Prisma round trip less than an interactive one).
   */
  const run = (work: (client: Queryable) => Prisma.PrismaPromise<unknown>): Promise<unknown> => {
    const active = currentTransaction();
    if (active) {
      if (active.tenantId !== scopedTenant) {
        throw new TenantScopeError(
          `A query for tenant ${scopedTenant} ran inside a transaction of tenant ${active.tenantId}`,
        );
      }
      return work(active.tx);
    }
    return base
      .$transaction([tenantContextQuery(base, scopedTenant), work(base)])
      .then((results) => results[1]);
  };

  const extended = base.$extends({
    name: "parley-tenant-scope",
    query: {
      $allOperations({ model, operation, args }) {
        if (model !== undefined) {
          const scoped = scopeArguments(model as ModelName, operation, args, scopedTenant);
          return run((client) => callModel(client, model as ModelName, operation, scoped));
        }
        return run((client) => callRaw(client, operation, args));
      },
    },
  });

  const own = {
    tenantId: scopedTenant,
    async $transaction<R>(
      fn: (tx: TenantClient) => Promise<R>,
      options?: TenantTransactionOptions,
    ): Promise<R> {
      const active = currentTransaction();
      if (active) {
        if (active.tenantId !== scopedTenant) {
          throw new TenantScopeError(
            `A transaction for tenant ${scopedTenant} was started inside a transaction of tenant ${active.tenantId}`,
          );
        }
        return fn(client);
      }
      return base.$transaction(
        async (tx) => {
          await tenantContextQuery(tx, scopedTenant);
          const context: ActiveTransaction = { tenantId: scopedTenant, tx, open: true };
          try {
            return await activeTransaction.run(context, () => fn(client));
          } finally {
            context.open = false;
          }
        },
        { ...defaults, ...options },
      );
    },
  };
  // Model delegates and raw SQL come from the extended client; $transaction and tenantId are ours.
  const client = new Proxy(own, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver);
      // Global models are reachable here only to fail with a message that points at db.system.
      if (typeof property === "string" && (RAW.has(property) || MODEL_PROPS.has(property))) {
        const value: unknown = Reflect.get(extended, property);
        return typeof value === "function" ? value.bind(extended) : value;
      }
      return undefined;
    },
  }) as TenantClient;
  return client;
}

/** A base client or an interactive transaction on it. */
type Queryable = Prisma.TransactionClient | TenantBaseClient;

/**
 * The statement that makes the rest of its transaction run as parley_app for one tenant, so row-level
 * security applies: `SET LOCAL ROLE parley_app` and `SET LOCAL app.tenant_id`, as one parameterised query.
 */
export function tenantContextQuery(client: Queryable, tenantId: string): Prisma.PrismaPromise<number> {
  return client.$executeRaw`SELECT set_config('role', 'parley_app', true), set_config('app.tenant_id', ${tenantId}, true)`;
}

const RAW = new Set(["$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe"]);
const MODEL_PROPS = new Set<string>(Object.values(Prisma.ModelName).map(modelProp));

type AnyDelegate = Record<string, (args: unknown) => Prisma.PrismaPromise<unknown>>;

function callModel(client: Queryable, model: ModelName, operation: string, args: unknown) {
  const delegate = (client as unknown as Record<string, AnyDelegate>)[modelProp(model)];
  const method = delegate?.[operation];
  if (!method)
    throw new TenantScopeError(`${model}.${operation} is not supported by the tenant-scoped client`);
  return method.call(delegate, args);
}

function callRaw(client: Queryable, operation: string, args: unknown): Prisma.PrismaPromise<unknown> {
  switch (operation) {
    case "$queryRaw":
      return client.$queryRaw(args as Prisma.Sql);
    case "$executeRaw":
      return client.$executeRaw(args as Prisma.Sql);
    case "$queryRawUnsafe":
      return client.$queryRawUnsafe(...(args as [string, ...unknown[]]));
    case "$executeRawUnsafe":
      return client.$executeRawUnsafe(...(args as [string, ...unknown[]]));
    default:
      throw new TenantScopeError(`${operation} is not supported by the tenant-scoped client`);
  }
}
