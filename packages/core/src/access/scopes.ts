import { z } from "zod";
import { type Permission, permissionSchema } from "./permissions";

const grantablePermissionSchema = permissionSchema.exclude(["tenant:manage", "members:manage"]);

/**
 * Scopes an API key can carry. A scope is a permission, or `*` for every permission of the tenant
 * (what the seeded demo key gets). Keys never carry `tenant:manage` or `members:manage`: tenant
 * ownership stays with people.
 */
export const apiKeyScopeSchema = z.union([z.literal("*"), grantablePermissionSchema]);

/** A scope an API key can carry. */
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

/** Every scope an API key can carry, `*` first (what the studio offers when a key is created). */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["*", ...grantablePermissionSchema.options];

/** Whether a key with `scopes` may do `permission`. */
export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  if (permission === "tenant:manage" || permission === "members:manage") return false;
  return scopes.includes("*") || scopes.includes(permission);
}
