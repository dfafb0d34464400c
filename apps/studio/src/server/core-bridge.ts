import type { ServiceContext } from "@parley/core";
import type { SignedIn, StudioContext } from "./context";
import type { TenantScope } from "./trpc";

/** The @parley/core service context of a studio call: the member acting in their active tenant. */
export function serviceContext(ctx: StudioContext & { auth: SignedIn; tenant: TenantScope }): ServiceContext {
  return {
    deps: ctx.core,
    tenantId: ctx.tenant.id,
    actor: { type: "user", userId: ctx.auth.user.id, role: ctx.tenant.role, label: ctx.auth.user.email },
    ...(ctx.request.ipAddress ? { ipAddress: ctx.request.ipAddress } : {}),
    ...(ctx.request.userAgent ? { userAgent: ctx.request.userAgent } : {}),
  };
}
