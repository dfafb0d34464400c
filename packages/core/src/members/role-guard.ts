import { canAssignRole, type Role } from "../access/roles";
import { scopesAllow } from "../access/scopes";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";

/**
 * The role an actor manages members as. People: their role. An API key with `members:manage`:
 * admin (keys never hold `tenant:manage`, so a key never invites, promotes, demotes or removes an
 * owner). The system: owner.
 */
export function managingRole(ctx: ServiceContext): Role {
  switch (ctx.actor.type) {
    case "user":
      return ctx.actor.role;
    case "api_key":
      return scopesAllow(ctx.actor.scopes, "members:manage") ? "admin" : "viewer";
    case "system":
      return "owner";
    case "widget":
      return "viewer";
  }
}

/** Throws `forbidden` unless the actor may give someone (or take away) `role`. */
export function assertCanAssign(ctx: ServiceContext, role: Role): void {
  const acting = managingRole(ctx);
  if (!canAssignRole(acting, role)) {
    const who = ctx.actor.type === "api_key" ? "An API key" : `As ${acting} you`;
    throw new ServiceError("forbidden", "forbidden", `${who} cannot give or take away the ${role} role.`);
  }
}
