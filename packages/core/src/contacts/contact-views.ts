import type { ContactView } from "@parley/contract";
import type { Contact, ContactIdentity, TenantClient } from "@parley/db";
import type { ServiceContext } from "../context";
import { notFound, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";

/** A contact row with what its view needs. */
export type ContactWithIdentities = Contact & {
  identities: ContactIdentity[];
  _count: { conversations: number };
};

/** The Prisma `include` for {@link ContactWithIdentities} (internal). */
export const contactInclude = {
  identities: { orderBy: { createdAt: "asc" } },
  _count: { select: { conversations: true } },
} as const;

/** A contact as the contract shows it (internal). */
export function toContactView(row: ContactWithIdentities): ContactView {
  return {
    id: row.id,
    name: row.displayName,
    email: row.email,
    phone: row.phone,
    attributes: (row.attributes ?? {}) as Record<string, unknown>,
    identities: row.identities.map((identity) => ({
      channel: identity.channel,
      externalId: identity.externalId,
      createdAt: identity.createdAt.toISOString(),
    })),
    conversationCount: row._count.conversations,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
  };
}

/** Refuses publishable keys: contacts are for the workspace, never for the widget (internal). */
export function refuseWidget(ctx: ServiceContext): void {
  if (ctx.actor.type === "widget")
    throw new ServiceError("forbidden", "forbidden", "a publishable key cannot read or change contacts");
}

/** The contact `contactId` of the tenant with its identities, or `contact-not-found` (internal). */
export async function loadContact(db: TenantClient, contactId: string): Promise<ContactWithIdentities> {
  const row = isUuid(contactId)
    ? await db.contact.findFirst({ where: { id: contactId }, include: contactInclude })
    : null;
  if (!row) throw notFound("contact", contactId);
  return row as ContactWithIdentities;
}
