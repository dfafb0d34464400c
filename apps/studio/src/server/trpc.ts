import { assertMfaSatisfied, membershipRole, ServiceError } from "@parley/core";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { type Permission, type Role, roleAllows } from "./access";
import { csrfTokenMatches } from "./auth/sessions";
import type { SignedIn, StudioContext } from "./context";

/** Procedure metadata: the permission a tenant procedure requires (read by the role-matrix test). */
export interface StudioMeta {
  readonly permission?: Permission;
  /** True for procedures anyone may call (sign-in, sign-up, password reset). */
  readonly public?: boolean;
}

const t = initTRPC
  .context<StudioContext>()
  .meta<StudioMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          // The service layer's stable code (`draft-conflict`, `flow-invalid`, ...), for the UI to branch on.
          serviceCode: cause instanceof ServiceError ? cause.code : null,
          // Field-level problems for forms: [{ path: "email", message: "..." }].
          issues:
            cause instanceof ZodError
              ? cause.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }))
              : cause instanceof ServiceError
                ? (cause.details.errors ?? null)
                : null,
        },
      };
    },
  });

const SERVICE_ERROR_CODES: Record<ServiceError["kind"], TRPCError["code"]> = {
  invalid: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "SERVICE_UNAVAILABLE",
};

/** Errors of @parley/core's services become the matching tRPC error, keeping their message and code. */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: SERVICE_ERROR_CODES[cause.kind], message: cause.message, cause });
  }
  return result;
});

const base = t.procedure.use(mapServiceErrors);

/** Builds routers. */
export const router = t.router;
/** Calls procedures directly (tests, server components). */
export const createCallerFactory = t.createCallerFactory;

/**
 * Mutations coming over HTTP from a page of another origin are refused (login CSRF and friends);
 * calls without an Origin header (same-origin GETs, tests) pass.
 */
const sameOrigin = t.middleware(({ ctx, type, next }) => {
  if (
    type === "mutation" &&
    ctx.request.origin &&
    ctx.request.selfOrigin &&
    ctx.request.origin !== ctx.request.selfOrigin
  ) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Requests from ${ctx.request.origin} are not allowed.`,
    });
  }
  return next();
});

/** Anyone: sign-in, sign-up, password reset. */
export const publicProcedure = base.meta({ public: true }).use(sameOrigin);

/** A signed-in user; mutations must carry the session's CSRF token. */
export const authedProcedure = base.use(sameOrigin).use(({ ctx, type, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  if (type === "mutation" && !csrfTokenMatches(ctx.auth.csrfSecret, ctx.request.csrfToken)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Missing or invalid CSRF token; reload the page." });
  }
  return next({ ctx: { auth: ctx.auth as SignedIn } });
});

/** The tenant a procedure acts in and the caller's role there (core does the rest). */
export interface TenantScope {
  readonly id: string;
  readonly role: Role;
}

/**
 * A signed-in member of the session's active tenant whose role grants `permission`. The check runs
 * before the input is parsed, so a refused role learns nothing about the input's validity.
 */
export function tenantProcedure(permission: Permission) {
  return authedProcedure.meta({ permission }).use(async ({ ctx, next }) => {
    const tenantId = ctx.auth.activeTenantId;
    if (!tenantId) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Choose a workspace first." });
    const role = await membershipRole(ctx.core, tenantId, ctx.auth.user.id);
    if (!role) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this workspace." });
    // An early gate with core's rule, so a refused role learns nothing from input validation;
    // core's service checks the same permission again (routers do not decide anything).
    if (!roleAllows(role, permission)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `Your role (${role}) does not allow ${permission}.`,
      });
    }
    // A workspace that requires MFA is closed to members who have not enrolled (FORBIDDEN, `mfa-enrolment-required`).
    await assertMfaSatisfied(ctx.core, tenantId, ctx.auth.user.id);
    const tenant: TenantScope = { id: tenantId, role };
    return next({ ctx: { tenant } });
  });
}

/** A uuid-shaped id parameter (a malformed id is a 400, never a database error). */
export const idSchema = z.string().min(1).max(64);
