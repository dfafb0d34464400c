import { emailAddressSchema, passwordSchema } from "@parley/contract";
import { generateToken, hashPassword, hashToken } from "@parley/infra";
import { z } from "zod";
import { recordAccountAudit } from "../audit";
import type { CoreDeps } from "../context";
import { parseInput, ServiceError } from "../errors";
import { newId } from "../internal/ids";
import { freeSlug } from "../tenants/tenants";
import { mayMail } from "./mail-throttle";
import { mailOf, studioLink } from "./mailer";
import type { RequestFacts } from "./request-facts";

/** How long a sign-up confirmation link works. */
export const SIGN_UP_TTL_MS = 24 * 60 * 60 * 1000;

/** What the sign-up form sends. */
export const signUpInputSchema = z.object({
  email: emailAddressSchema,
  name: z.string().trim().min(1, "is required").max(200),
  password: passwordSchema,
  workspaceName: z.string().trim().max(200).optional(),
});

/**
 * Signs a new user up without telling whether the address has an account: the answer is always
 * the same, and what happens is said by e-mail. A new address gets a confirmation link (single
 * use, 24 hours); the account and its first workspace are created only when it is opened
 * ({@link confirmSignUp}), so nobody can hold an address they cannot read. An address with an
 * account gets "someone tried to sign up with your address" instead (audited
 * `auth.sign_up_existing_email`). The password is hashed in both cases, so timing tells nothing
 * either. Mails are throttled like reset mails (past the limit nothing is sent).
 * @throws ServiceError `invalid-input` (a bad field; says nothing about accounts)
 */
export async function signUp(
  deps: CoreDeps,
  input: z.input<typeof signUpInputSchema> & { now: Date; request: RequestFacts },
): Promise<void> {
  const { mailer, studioUrl } = mailOf(deps);
  const data = parseInput(signUpInputSchema, input, "sign-up");
  const email = data.email.toLowerCase();
  const passwordHash = await hashPassword(data.password);
  const allowed = await mayMail(deps.infra, "sign-up", email, input.request.ipAddress);
  const existing = await deps.db.system.user.findUnique({ where: { email } });
  if (existing) {
    await recordAccountAudit(deps.db, {
      action: "auth.sign_up_existing_email",
      userId: existing.id,
      email: existing.email,
      byAccountOwner: false,
      after: { mailed: allowed },
      ...input.request,
    });
    if (!allowed) return;
    await mailer.send({
      to: existing.email,
      subject: "Someone tried to sign up to Parley with your address",
      text: `Someone tried to create a Parley account with this e-mail address, which already has one.\n\nIf it was you, sign in:\n${new URL("/sign-in", studioUrl)}\n\nForgot your password? Reset it here:\n${new URL("/forgot-password", studioUrl)}\n\nIf it was not you, you can ignore this e-mail: nothing was changed.`,
    });
    return;
  }
  if (!allowed) return;
  const token = generateToken("secret");
  await deps.db.system.signUpRequest.create({
    data: {
      email,
      name: data.name,
      passwordHash,
      workspaceName: data.workspaceName || null,
      tokenHash: token.hash,
      expiresAt: new Date(input.now.getTime() + SIGN_UP_TTL_MS),
    },
  });
  await mailer.send({
    to: email,
    subject: "Confirm your Parley account",
    text: `Welcome to Parley, ${data.name}.\n\nOpen this link within 24 hours to confirm your address and start:\n${studioLink(studioUrl, "/verify-email", token.key)}\n\nIf you did not sign up, ignore this e-mail: no account is created.`,
  });
}

/**
 * Opens a sign-up confirmation link: creates the account (its e-mail verified), its first
 * workspace (owned) and the `tenant.create` audit row in one transaction; the link is spent.
 * @throws ServiceError `sign-up-link-invalid` (unknown, used or expired), `email-taken` (the address
 *   got an account since: sign in instead)
 */
export async function confirmSignUp(
  deps: CoreDeps,
  input: { token: string; now: Date },
): Promise<{ userId: string; tenantId: string }> {
  const db = deps.db.system;
  const request = await db.signUpRequest.findUnique({ where: { tokenHash: hashToken(input.token) } });
  if (!request || request.usedAt || request.expiresAt <= input.now) {
    throw new ServiceError(
      "invalid",
      "sign-up-link-invalid",
      "This confirmation link is invalid, used or expired; sign up again.",
    );
  }
  const workspaceName = request.workspaceName?.trim() || `${request.name.trim()}'s workspace`;
  const slug = await freeSlug(deps, workspaceName);
  return db.$transaction(async (tx) => {
    const claimed = await tx.signUpRequest.updateMany({
      where: { id: request.id, usedAt: null },
      data: { usedAt: input.now },
    });
    if (claimed.count !== 1) {
      throw new ServiceError("invalid", "sign-up-link-invalid", "This confirmation link was already used.");
    }
    if (await tx.user.findUnique({ where: { email: request.email }, select: { id: true } })) {
      throw new ServiceError("conflict", "email-taken", "This address already has an account: sign in.");
    }
    const user = await tx.user.create({
      data: {
        id: newId(),
        email: request.email,
        name: request.name,
        passwordHash: request.passwordHash,
        emailVerifiedAt: input.now,
      },
    });
    const tenantId = newId();
    await tx.tenant.create({
      data: {
        id: tenantId,
        name: workspaceName,
        slug,
        memberships: { create: { id: newId(), userId: user.id, role: "owner" } },
      },
    });
    await tx.auditLogEntry.create({
      data: {
        tenantId,
        actorType: "user",
        actorId: user.id,
        actorLabel: user.email,
        action: "tenant.create",
        targetType: "tenant",
        targetId: tenantId,
        after: { name: workspaceName, slug },
      },
    });
    return { userId: user.id, tenantId };
  });
}
