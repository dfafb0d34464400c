import type { ContactRef } from "@parley/db";
import { valueMatchesType } from "@parley/flow-schema";
import { nowOf, type ServiceContext } from "../context";
import { newId } from "../internal/ids";
import type { LiveConversation } from "./load";
import type { LoadedVersion } from "./versions";

/**
 * The contact behind a channel user id, created on first sight, in one round trip either way (a
 * concurrent first sight of the same user ends with one contact). A first-seen identity carrying a
 * `verified` phone number or e-mail address (the platform's sender number, an identity token's
 * claims) joins the contact that has it, so one person keeps one contact, and its contact-scoped
 * variables, across channels; contacts linked by hand use the contacts merge (internal).
 */
export async function contactFor(
  ctx: ServiceContext,
  channel: LiveConversation["channel"],
  user: { id: string; name?: string; verified?: { phone?: string; email?: string } },
): Promise<ContactRef> {
  return ctx.deps.db.conversationStore(ctx.tenantId).resolveContact({
    contactId: newId(),
    identityId: newId(),
    channel,
    externalId: user.id,
    displayName: user.name ?? null,
    ...(user.verified ? { verified: user.verified } : {}),
    now: nowOf(ctx.deps),
  });
}

/**
 * The contact-scoped variables a new conversation starts with: the values kept on the contact
 * (its attributes) for every variable the flow declares with `scope: "contact"`, when the value
 * still fits the declared type (a flow may have changed a variable's type since) (internal).
 */
export function carriedVariables(
  version: LoadedVersion,
  attributes: Record<string, unknown>,
): Record<string, unknown> {
  const carried: Record<string, unknown> = {};
  for (const { name, type } of version.contactVariables) {
    const value = attributes[name];
    if (value !== undefined && value !== null && valueMatchesType(value, type)) carried[name] = value;
  }
  return carried;
}

/**
 * The contact-scoped variables a step changed (compared with the variables before it), to merge
 * into the contact's attributes in the step's transaction (internal).
 */
export function contactAttributesToKeep(
  version: LoadedVersion,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const { name } of version.contactVariables) {
    const value = after[name];
    if (value === undefined) continue;
    const previous = before?.[name];
    if (previous !== undefined && JSON.stringify(previous) === JSON.stringify(value)) continue;
    changed[name] = value;
  }
  return changed;
}
