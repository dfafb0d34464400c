/**
 * The access rules the studio enforces, from @parley/core's access module (shared with the runtime's
 * REST API, so a role means the same thing everywhere).
 */
export {
  allPermissions,
  apiKeyScopeSchema,
  canAssignRole,
  type Permission,
  type Role,
  roleAllows,
  roleSchema,
} from "@parley/core";
