import { type Role, roleSchema } from "@parley/contract";
import { allPermissions, type Permission } from "./permissions";

export { type Role, roleSchema };

const readOnly: readonly Permission[] = ["bots:read", "flows:read", "conversations:read", "members:read"];

/**
 * What each role may do. Owners do everything; admins everything but managing the tenant itself;
 * editors build bots; analysts read conversations, analytics and the audit log; viewers only
 * look; agents only work the inbox. Each role but `agent` holds every permission of the roles below it.
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
  // Agents work the inbox; which bots' conversations they see is limited per membership.
  agent: new Set<Permission>(["conversations:read", "conversations:agent"]),
};

/** Whether `role` grants `permission`. */
export const roleAllows = (role: Role, permission: Permission): boolean =>
  rolePermissions[role].has(permission);

/** Whether `actor` may grant `target` to somebody: nobody hands out a role above their own. */
export function canAssignRole(actor: Role, target: Role): boolean {
  const rank = roleSchema.options;
  return roleAllows(actor, "members:manage") && rank.indexOf(target) >= rank.indexOf(actor);
}
