import { z } from "zod";

/**
 * Everything a caller can be allowed to do. Studio procedures and REST routes each require one
 * permission; roles (people) and scopes (API keys) are both sets of these. What each role holds is
 * decided in @parley/core (`rolePermissions`); this is only the vocabulary.
 */
export const permissionSchema = z.enum([
  "tenant:manage",
  "members:read",
  "members:manage",
  "bots:read",
  "bots:write",
  "flows:read",
  "flows:write",
  "flows:publish",
  "conversations:read",
  "conversations:write",
  "conversations:agent",
  "analytics:read",
  "apiKeys:manage",
  "audit:read",
  "integrations:manage",
  "models:manage",
  "knowledge:write",
  "webhooks:manage",
  "channels:manage",
]);
/** One thing a caller may be allowed to do, e.g. `flows:publish`. */
export type Permission = z.infer<typeof permissionSchema>;

/** A member's role in a tenant, from most to least powerful. */
export const roleSchema = z.enum(["owner", "admin", "editor", "analyst", "viewer", "agent"]);
/** A member's role in a tenant. */
export type Role = z.infer<typeof roleSchema>;

/**
 * Permissions an API key may carry: all but tenant ownership (it stays with people). `members:manage`
 * is granted only when chosen explicitly (`*` does not include it; see core's `scopesAllow`).
 */
export const grantablePermissionSchema = permissionSchema.exclude(["tenant:manage"]);

/**
 * Scopes an API key can carry. A scope is a grantable permission, or `*` for every permission of
 * the tenant (what the seeded demo key gets).
 */
export const apiKeyScopeSchema = z.union([z.literal("*"), grantablePermissionSchema]);
/** A scope an API key can carry. */
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;
