import { z } from "zod";

/**
 * Everything a caller can be allowed to do. Studio procedures and REST routes each require one
 * permission; roles (people) and scopes (API keys) are both sets of these.
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
]);

/** One thing a caller may be allowed to do, e.g. `flows:publish`. */
export type Permission = z.infer<typeof permissionSchema>;

/** Every permission, in declaration order. */
export const allPermissions: readonly Permission[] = permissionSchema.options;
