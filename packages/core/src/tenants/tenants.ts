import { hashPassword } from "@parley/infra";
import { z } from "zod";
import { recordAudit } from "../audit";
import { type CoreDeps, systemContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { newId } from "../internal/ids";

/** Input of {@link createUser}. */
export const createUserInputSchema = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200),
    /** Omit for an invited user who sets a password later. */
    password: z.string().min(8).max(1_000).optional(),
  })
  .strict();

/** A user as services return it (never the password hash). */
export interface UserView {
  id: string;
  email: string;
  name: string;
}

/**
 * Creates a studio user (a system operation: sign-up and seeding). The e-mail is stored lower-cased.
 * @throws ServiceError `invalid-input`, `email-taken`
 */
export async function createUser(
  deps: CoreDeps,
  input: z.input<typeof createUserInputSchema>,
): Promise<UserView> {
  const data = parseInput(createUserInputSchema, input, "user");
  const email = data.email.toLowerCase();
  if (await deps.db.system.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new ServiceError("conflict", "email-taken", `a user with e-mail ${email} already exists`);
  }
  const user = await deps.db.system.user.create({
    data: {
      id: newId(),
      email,
      name: data.name,
      passwordHash: data.password === undefined ? null : await hashPassword(data.password),
    },
  });
  return { id: user.id, email: user.email, name: user.name };
}

/** Input of {@link createTenant}. */
export const createTenantInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** URL-safe handle; derived from the name when omitted. */
    slug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "lower-case letters, digits and dashes")
      .optional(),
    /** The user who becomes the tenant's owner. */
    ownerUserId: z.string().min(1),
  })
  .strict();

/** A tenant as services return it. */
export interface TenantView {
  id: string;
  name: string;
  slug: string;
}

/**
 * Creates a tenant with `ownerUserId` as its owner (one transaction, audited). A system operation:
 * the studio calls it for a signed-in user creating a tenant, the CLI when seeding.
 * @throws ServiceError `invalid-input`, `user-not-found`, `slug-taken`
 */
export async function createTenant(
  deps: CoreDeps,
  input: z.input<typeof createTenantInputSchema>,
): Promise<TenantView> {
  const data = parseInput(createTenantInputSchema, input, "tenant");
  const owner = await deps.db.system.user.findUnique({ where: { id: data.ownerUserId } });
  if (!owner) throw new ServiceError("not_found", "user-not-found", `user ${data.ownerUserId} was not found`);
  const slug = data.slug ?? (await freeSlug(deps, data.name));
  if (await deps.db.system.tenant.findUnique({ where: { slug }, select: { id: true } })) {
    throw new ServiceError("conflict", "slug-taken", `the tenant handle "${slug}" is taken`);
  }
  const tenantId = newId();
  const tenant = await deps.db.system.tenant.create({
    data: {
      id: tenantId,
      name: data.name,
      slug,
      memberships: { create: { id: newId(), userId: owner.id, role: "owner" } },
    },
  });
  const ctx = {
    ...systemContext(deps, tenantId),
    actor: { type: "user" as const, userId: owner.id, role: "owner" as const, label: owner.email },
  };
  await recordAudit(deps.db.forTenant(tenantId), ctx, {
    action: "tenant.create",
    targetType: "tenant",
    targetId: tenantId,
    after: { name: tenant.name, slug },
  });
  return { id: tenant.id, name: tenant.name, slug: tenant.slug };
}

/** A tenant handle derived from `name` that no tenant has yet. */
export async function freeSlug(deps: CoreDeps, name: string): Promise<string> {
  const base =
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "tenant";
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const slug = attempt === 0 ? base : `${base}-${Math.random().toString(36).slice(2, 7)}`;
    if (!(await deps.db.system.tenant.findUnique({ where: { slug }, select: { id: true } }))) return slug;
  }
  throw new ServiceError("conflict", "slug-taken", `no free handle for "${name}"`);
}

/** The role of `userId` in `tenantId`, or undefined when not a member (for the studio's context). */
export async function membershipRole(deps: CoreDeps, tenantId: string, userId: string) {
  const membership = await deps.db
    .forTenant(tenantId)
    .membership.findFirst({ where: { userId }, select: { role: true } });
  return membership?.role;
}
