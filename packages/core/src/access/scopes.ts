import { z } from "zod";
import { type Permission, permissionSchema } from "./permissions";

const grantablePermissionSchema = permissionSchema.exclude(["tenant:manage"]);

/**
 * Permissions `*` does not include: a key manages members only when that scope was chosen for it
 * (keys made before member management existed over REST keep what they could do).
 */
const EXPLICIT_ONLY: ReadonlySet<Permission> = new Set<Permission>(["members:manage"]);

/**
 * Scopes an API key can carry. A scope is a permission, or `*` for every permission of the tenant
 * except `members:manage` (what the seeded demo key gets). Keys never carry `tenant:manage`:
 * tenant ownership stays with people, so a key never makes, changes or removes an owner.
 */
export const apiKeyScopeSchema = z.union([z.literal("*"), grantablePermissionSchema]);

/** A scope an API key can carry. */
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

/** Every scope an API key can carry, `*` first (what the studio offers when a key is created). */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["*", ...grantablePermissionSchema.options];

/** Whether a key with `scopes` may do `permission`. */
export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  if (permission === "tenant:manage") return false;
  if (scopes.includes(permission)) return true;
  return scopes.includes("*") && !EXPLICIT_ONLY.has(permission);
}
