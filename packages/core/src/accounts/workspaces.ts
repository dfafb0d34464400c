import { allPermissions, type Permission } from "../access/permissions";
import { type Role, roleAllows } from "../access/roles";
import { recordAccountAudit } from "../audit";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import { createTenant, type TenantView } from "../tenants/tenants";
import type { RequestFacts } from "./request-facts";
import { setActiveTenant } from "./sessions";

/** A workspace of the signed-in user, with their role there. */
export interface WorkspaceMembership {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

/** The user's workspaces and the active one, with what their role there may do. */
export interface AccountWorkspaces {
  tenants: WorkspaceMembership[];
  activeTenant: { id: string; name: string; role: Role; permissions: Permission[] } | null;
}

/** The workspaces of `userId` (oldest membership first) and the active one with its permissions. */
export async function accountWorkspaces(
  deps: CoreDeps,
  userId: string,
  activeTenantId: string | null,
): Promise<AccountWorkspaces> {
  const memberships = await deps.db.system.membership.findMany({
    where: { userId, tenant: { disabledAt: null } },
    include: { tenant: { select: { id: true, name: true, slug: true } } },
    orderBy: { createdAt: "asc" },
  });
  const active = memberships.find((m) => m.tenantId === activeTenantId) ?? null;
  return {
    tenants: memberships.map((m) => ({
      id: m.tenant.id,
      name: m.tenant.name,
      slug: m.tenant.slug,
      role: m.role,
    })),
    activeTenant: active
      ? {
          id: active.tenant.id,
          name: active.tenant.name,
          role: active.role,
          // What the role may do, so pages hide what it cannot (the server refuses it anyway).
          permissions: allPermissions.filter((permission) => roleAllows(active.role, permission)),
        }
      : null,
  };
}

/**
 * Makes `tenantId` the session's active workspace; the user must be a member of it. Recorded in the
 * workspace entered (the one left is not named: it may be none of its business).
 * @throws ServiceError `tenant-not-found` (also for a workspace the user is not in)
 */
export async function switchWorkspace(
  deps: CoreDeps,
  input: { sessionId: string; user: { id: string; email: string }; tenantId: string; request: RequestFacts },
): Promise<{ tenantId: string; role: Role }> {
  const membership = await deps.db.system.membership.findFirst({
    where: { tenantId: input.tenantId, userId: input.user.id, tenant: { disabledAt: null } },
  });
  if (!membership) {
    throw new ServiceError("not_found", "tenant-not-found", `workspace ${input.tenantId} was not found`);
  }
  await setActiveTenant(deps, input.sessionId, input.tenantId);
  await recordAccountAudit(deps.db, {
    action: "auth.tenant_switch",
    userId: input.user.id,
    email: input.user.email,
    byAccountOwner: true,
    tenantIds: [input.tenantId],
    after: { tenantId: input.tenantId, role: membership.role },
    ...input.request,
  });
  return { tenantId: input.tenantId, role: membership.role };
}

/**
 * Creates a workspace owned by the user, who must already own one, and makes it the session's
 * active workspace.
 * @throws ServiceError `forbidden`, `invalid-input`, `slug-taken`
 */
export async function createOwnedWorkspace(
  deps: CoreDeps,
  input: { sessionId: string; userId: string; name: string },
): Promise<TenantView> {
  const owns = await deps.db.system.membership.count({ where: { userId: input.userId, role: "owner" } });
  if (owns === 0)
    throw new ServiceError("forbidden", "forbidden", "Only owners of a workspace can create workspaces.");
  const tenant = await createTenant(deps, { name: input.name, ownerUserId: input.userId });
  await setActiveTenant(deps, input.sessionId, tenant.id);
  return tenant;
}
