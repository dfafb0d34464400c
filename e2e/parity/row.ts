import type { ApiKeyScope, CoreDeps, Permission, Role, ServiceContext } from "@parley/core";

/** What the parity harness hands to a row's builders: the tenant, its people and its services. */
export interface ParityFixture {
  readonly tenantId: string;
  /** The tenant's owner, as a service context (for setups that create what a row acts on). */
  readonly owner: ServiceContext;
  /** One member per role (the studio callers act as them). */
  readonly members: Readonly<Record<Role, { readonly userId: string; readonly email: string }>>;
  /** The services both the studio and the runtime run on (one database). */
  readonly deps: CoreDeps;
  /** A fresh member of the tenant with `role` (a target a row may change or remove). */
  member(role: Role): Promise<{ userId: string; email: string }>;
  /** A unique value for names and e-mail addresses. */
  unique(label: string): string;
}

/** The audit row an action must write (the same on both sides), or null for reads. */
export interface ExpectedAudit {
  readonly action: string;
  readonly targetType: string;
}

/** Who acts: a studio role and the scopes of the `sk_` key acting on the REST side. */
export interface ParityActor {
  readonly role: Role;
  readonly scopes: readonly ApiKeyScope[];
}

/**
 * One studio action and its REST twin. The parity test calls both with an actor holding
 * `permission` (both succeed and write `audit`) and with one lacking it (studio FORBIDDEN, REST 403).
 * `setup` runs before every call, so each call gets its own target (a member to remove, ...).
 *
 * @example
 * const row: ParityRow<{ userId: string }> = {
 *   name: "remove a member",
 *   permission: "members:manage",
 *   audit: { action: "member.remove", targetType: "user" },
 *   setup: (fx) => fx.member("viewer"),
 *   studio: { procedure: "members.remove", input: (s) => ({ userId: s.userId }) },
 *   rest: { method: "DELETE", path: (s) => `/api/v1/members/${s.userId}` },
 * };
 */
export interface ParityRow<Setup = unknown> {
  readonly name: string;
  /** The permission core checks for this action (the same name on both sides). */
  readonly permission: Permission;
  readonly audit: ExpectedAudit | null;
  readonly setup?: (fx: ParityFixture) => Promise<Setup>;
  readonly studio: {
    /** The tRPC procedure path, e.g. `members.changeRole`. */
    readonly procedure: string;
    readonly input: (setup: Setup, fx: ParityFixture) => unknown;
  };
  readonly rest: {
    readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** Path and query, e.g. `/api/v1/members/${id}`. */
    readonly path: (setup: Setup, fx: ParityFixture) => string;
    readonly body?: (setup: Setup, fx: ParityFixture) => unknown;
  };
  /**
   * The actor that may do it. Default: the least powerful role holding `permission`, and a key
   * with exactly that scope.
   */
  readonly allowed?: ParityActor;
  /**
   * The actor that may not. Default: the most powerful role lacking `permission` (if any role
   * lacks it) and a key with every grantable scope but that one.
   */
  readonly denied?: ParityActor;
}

/** A row with its setup type erased, for the tables. */
// biome-ignore lint/suspicious/noExplicitAny: each row has its own setup type; the table holds them all.
export type AnyParityRow = ParityRow<any>;

/** Declares a row with its setup type inferred. */
export const parityRow = <Setup>(row: ParityRow<Setup>): AnyParityRow => row;
