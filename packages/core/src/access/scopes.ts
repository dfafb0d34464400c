import {
  type ApiKeyScope,
  apiKeyScopeSchema,
  grantablePermissionSchema,
  type Permission,
} from "@parley/contract";

/*
 * The scope vocabulary is @parley/contract's; re-exported here because `@parley/core/scopes` is the
 * client-safe entry the studio's browser code imports.
 */
export { type ApiKeyScope, apiKeyScopeSchema };

/** Every scope an API key can carry, `*` first (what the studio offers when a key is created). */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["*", ...grantablePermissionSchema.options];

/** Whether a key with `scopes` may do `permission`. */
export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  if (permission === "tenant:manage" || permission === "members:manage") return false;
  return scopes.includes("*") || scopes.includes(permission);
}
