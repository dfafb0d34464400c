import type { Database } from "../client/open-database";
import { containsPattern } from "./postgres/conversation-where";
import { isUuid } from "./uuid";

/**
 * What a transcript store outside Postgres needs of contacts, which stay in Postgres: the ids
 * behind the list's `contact` filter, and current display names for list rows (a rename shows at
 * once; the archived copy is only a fallback).
 */
export interface ContactDirectory {
  /** Ids of the tenant's contacts whose name, e-mail or phone contain `text` (case-insensitive). */
  matching(tenantId: string, text: string): Promise<string[]>;
  /** Display names of these contacts; an id the tenant has no contact for is absent. */
  names(tenantId: string, contactIds: readonly string[]): Promise<Map<string, string | null>>;
}

/** The contact directory over Postgres's `contacts` (served by the contact list's indexes). */
export function postgresContactDirectory(db: Database): ContactDirectory {
  return {
    async matching(tenantId, text) {
      const pattern = containsPattern(text);
      const rows = await db.forTenant(tenantId).$queryRaw<{ id: string }[]>`
        SELECT id FROM contacts WHERE tenant_id = ${tenantId}
          AND (display_name ILIKE ${pattern} OR email ILIKE ${pattern} OR phone ILIKE ${pattern})`;
      return rows.map((row) => row.id);
    },
    async names(tenantId, contactIds) {
      const ids = [...new Set(contactIds.filter(isUuid))];
      if (ids.length === 0) return new Map();
      const rows = await db.forTenant(tenantId).contact.findMany({
        where: { id: { in: ids } },
        select: { id: true, displayName: true },
      });
      return new Map(rows.map((row) => [row.id, row.displayName]));
    },
  };
}
