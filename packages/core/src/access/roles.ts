import { memberRoleSchema } from "@parley/contract";
import type { z } from "zod";
import { allPermissions, type Permission } from "./permissions";

/** A member's role in a tenant, from most to least powerful (the wire's schema). */
export const roleSchema = memberRoleSchema;

/** A member's role in a tenant. */
export type Role = z.infer<typeof roleSchema>;

const readOnly: readonly Permission[] = ["bots:read", "flows:read", "conversations:read", "members:read"];

/**
 * What each role may do. Owners do everything; admins everything but managing the tenant itself;
 * editors build bots; analysts read conversations, analytics and the audit log; viewers only
 * look. Each role holds every permission of the roles below it.
 */
export const rolePermissions: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(allPermissions),
  admin: new Set(allPermissions.filter((permission) => permission !== "tenant:manage")),
  editor: new Set<Permission>([
    ...readOnly,
    "bots:write",
    "flows:write",
    "flows:publish",
    "conversations:write",
    "conversations:agent",
    "knowledge:write",
    "analytics:read",
    "audit:read",
  ]),
  analyst: new Set<Permission>([...readOnly, "analytics:read", "audit:read"]),
  viewer: new Set<Permission>(readOnly),
};

/** Whether `role` grants `permission`. */
export const roleAllows = (role: Role, permission: Permission): boolean =>
  rolePermissions[role].has(permission);

/** Whether `actor` may grant `target` to somebody: nobody hands out a role above their own. */
export function canAssignRole(actor: Role, target: Role): boolean {
  const rank = roleSchema.options;
  return roleAllows(actor, "members:manage") && rank.indexOf(target) >= rank.indexOf(actor);
}
