import { Readable } from "node:stream";
import { auditPageQuerySchema, auditPageSchema } from "@parley/contract";
import { AUDIT_CSV_MAX_ROWS, listAuditEntries, streamAuditCsv } from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const auditQuerySchema = auditPageQuerySchema
  .extend({
    format: z
      .enum(["json", "csv"])
      .optional()
      .describe("`csv` for the CSV export (or send `Accept: text/csv`)"),
  })
  .strict();

/** Whether the caller asked for CSV: `?format=csv`, or an Accept header preferring text/csv. */
function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === "csv";
  return /(^|,)\s*text\/csv\b/i.test(accept ?? "") && !/(^|,)\s*application\/json\b/i.test(accept ?? "");
}

/** The audit log: the REST twin of the studio's audit page and its CSV export (same core functions). */
export const auditRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/audit-log",
    operationId: "listAuditLog",
    summary: "Read the audit log (filtered, paged) or export it as CSV",
    description:
      "Newest first. Filters combine with AND; pass `nextCursor` as `cursor` for the next page. " +
      `As CSV (\`Accept: text/csv\` or \`format=csv\`) the whole filtered log, up to ${AUDIT_CSV_MAX_ROWS} ` +
      "rows, is streamed (`limit` and `cursor` do not apply). Secret-looking values are redacted.",
    tag: "Audit log",
    permission: "audit:read",
    query: auditQuerySchema,
    success: { status: 200, description: "A page of entries", schema: auditPageSchema },
    alternateContent: { "text/csv": "The filtered log as CSV (RFC 4180), header first" },
    handler: async ({ query, ctx, request, reply }) => {
      const { format, limit, cursor, ...filter } = query;
      if (!wantsCsv(format, request.headers.accept))
        return listAuditEntries(ctx, { ...filter, limit, cursor });
      const csv = streamAuditCsv(ctx, filter); // checks the permission before anything is sent
      const day = new Date().toISOString().slice(0, 10);
      reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="audit-${day}.csv"`);
      return Readable.from(csv);
    },
  }),
];
