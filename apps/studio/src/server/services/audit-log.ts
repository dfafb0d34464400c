import type { TenantClient } from "@parley/db";
import { z } from "zod";

/** Filters of the audit log listing (all optional, combined with AND). */
export const auditFilterSchema = z.object({
  /** Action prefix, e.g. `flow.` or `api_key.revoke`. */
  action: z.string().max(100).optional(),
  /** Actor id (user or API key). */
  actorId: z.string().max(64).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** Filters of the audit log listing. */
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** An audit log entry as the console shows it. */
export interface AuditEntryView {
  id: string;
  createdAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ipAddress: string | null;
}

function whereOf(filter: AuditFilter) {
  return {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.from || filter.to
      ? {
          createdAt: {
            ...(filter.from ? { gte: new Date(filter.from) } : {}),
            ...(filter.to ? { lte: new Date(filter.to) } : {}),
          },
        }
      : {}),
  };
}

/** Keys whose values are secrets: never shown, even if a writer forgot to drop them. */
const SECRET_KEY = /(secret|password|token|apikey|api_key|^key$|keyhash|credential)/i;

/** Replaces secret-looking values with "[redacted]", recursively (defence in depth for the log view). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(inner),
      ]),
    );
  }
  return value;
}

/** One page of the audit log, newest first; pass the last id as `cursor` for the next page. */
export async function listAuditEntries(
  db: TenantClient,
  filter: AuditFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
  const rows = await db.auditLogEntry.findMany({
    where: whereOf(filter),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  const entries = rows.slice(0, page.limit).map(
    (row): AuditEntryView => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      actorType: row.actorType,
      actorId: row.actorId,
      actorLabel: row.actorLabel,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      before: redactSecrets(row.before),
      after: redactSecrets(row.after),
      ipAddress: row.ipAddress,
    }),
  );
  return { entries, nextCursor: rows.length > page.limit ? (entries.at(-1)?.id ?? null) : null };
}

/** Quotes a CSV field (RFC 4180) and defuses spreadsheet formulas (`=`, `+`, `-`, `@` at the start). */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The filtered audit log as CSV (header + up to `max` rows, newest first). */
export async function auditCsv(db: TenantClient, filter: AuditFilter, max = 10_000): Promise<string> {
  const header = [
    "time",
    "actor_type",
    "actor",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "ip",
  ];
  const lines = [header.join(",")];
  let cursor: string | undefined;
  while (lines.length - 1 < max) {
    const page = await listAuditEntries(db, filter, {
      limit: Math.min(500, max - (lines.length - 1)),
      cursor,
    });
    for (const e of page.entries) {
      lines.push(
        [
          e.createdAt,
          e.actorType,
          e.actorLabel,
          e.actorId,
          e.action,
          e.targetType,
          e.targetId,
          e.before,
          e.after,
          e.ipAddress,
        ]
          .map(csvField)
          .join(","),
      );
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return `${lines.join("\r\n")}\r\n`;
}
