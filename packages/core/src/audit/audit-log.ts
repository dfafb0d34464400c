import {
  type AuditEntryView,
  type AuditFilter,
  type AuditPage,
  type AuditPageQuery,
  auditFilterSchema,
  auditPageQuerySchema,
} from "@parley/contract";
import type { AuditLogEntry } from "@parley/db";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";
import { AUDIT_CSV_HEADER, auditCsvLine } from "./csv";
import { redactSecrets } from "./redaction";
import { targetLabels } from "./target-labels";

/** Most rows one CSV export holds. */
export const AUDIT_CSV_MAX_ROWS = 10_000;
const CSV_PAGE = 500;

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

const toView = (row: AuditLogEntry, labels: ReadonlyMap<string, string> = new Map()): AuditEntryView => ({
  id: row.id,
  createdAt: row.createdAt.toISOString(),
  actorType: row.actorType,
  actorId: row.actorId,
  actorLabel: row.actorLabel,
  action: row.action,
  targetType: row.targetType,
  targetId: row.targetId,
  targetLabel: (row.targetId && labels.get(`${row.targetType}:${row.targetId}`)) || null,
  before: redactSecrets(row.before),
  after: redactSecrets(row.after),
  ipAddress: row.ipAddress,
});

async function page(
  ctx: ServiceContext,
  filter: AuditFilter,
  limit: number,
  cursor?: string,
): Promise<AuditPage> {
  const rows = await tenantDb(ctx).auditLogEntry.findMany({
    where: whereOf(filter),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    // The tenant client adds the tenant to the filter: whatever the cursor, rows are this tenant's.
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const shown = rows.slice(0, limit);
  const labels = await targetLabels(tenantDb(ctx), shown);
  const entries = shown.map((row) => toView(row, labels));
  return { entries, nextCursor: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}

/**
 * One page of the audit log, newest first, filtered; pass `nextCursor` as `cursor` for the next.
 * Secret-looking values are redacted. Needs `audit:read`.
 * @example await listAuditEntries(ctx, { action: "member.", limit: 20 })
 */
export async function listAuditEntries(ctx: ServiceContext, query: AuditPageQuery = {}): Promise<AuditPage> {
  authorize(ctx, "audit:read");
  const { limit, cursor, ...filter } = parseInput(auditPageQuerySchema, query, "audit log query");
  if (cursor !== undefined && !isUuid(cursor)) {
    throw new ServiceError("invalid", "invalid-input", "invalid audit log query: cursor: not a page cursor", {
      errors: [{ path: "cursor", message: "not a page cursor (use nextCursor of the previous page)" }],
    });
  }
  return page(ctx, filter, limit, cursor);
}

/**
 * The filtered audit log as CSV, streamed: the header, then up to `max` rows newest first, read
 * 500 at a time. The permission and the filter are checked before the first chunk (so an HTTP
 * layer can still answer 403/400). Needs `audit:read`.
 */
export function streamAuditCsv(
  ctx: ServiceContext,
  filter: AuditFilter = {},
  max = AUDIT_CSV_MAX_ROWS,
): AsyncIterable<string> {
  authorize(ctx, "audit:read");
  const parsed = parseInput(auditFilterSchema, filter, "audit log filter");
  return (async function* () {
    yield AUDIT_CSV_HEADER;
    let written = 0;
    let cursor: string | undefined;
    while (written < max) {
      const next = await page(ctx, parsed, Math.min(CSV_PAGE, max - written), cursor);
      for (const entry of next.entries) yield auditCsvLine(entry);
      written += next.entries.length;
      if (!next.nextCursor) break;
      cursor = next.nextCursor;
    }
  })();
}

/** The filtered audit log as one CSV string (the studio's download). Needs `audit:read`. */
export async function exportAuditCsv(ctx: ServiceContext, filter: AuditFilter = {}): Promise<string> {
  let csv = "";
  for await (const chunk of streamAuditCsv(ctx, filter)) csv += chunk;
  return csv;
}
