import type { CoreDeps } from "../context";
import { createTenant, createUser } from "../tenants/tenants";

/**
 * Signs a new user up: the user and their first workspace, which they own.
 * @throws ServiceError `email-taken`, `invalid-input`
 */
export async function signUp(
  deps: CoreDeps,
  input: { email: string; name: string; password: string; workspaceName?: string | undefined },
): Promise<{ userId: string; tenantId: string }> {
  const user = await createUser(deps, { email: input.email, name: input.name, password: input.password });
  const tenant = await createTenant(deps, {
    name: input.workspaceName?.trim() || `${input.name.trim()}'s workspace`,
    ownerUserId: user.id,
  });
  return { userId: user.id, tenantId: tenant.id };
}
