import { z } from "zod";

/** Filters of the audit log (all optional, combined with AND). */
export const auditFilterSchema = z.object({
  action: z.string().max(100).optional().describe("Action prefix, e.g. `flow.` or `api_key.revoke`"),
  actorId: z.string().max(64).optional().describe("Id of the acting user or API key"),
  targetType: z.string().max(50).optional().describe("e.g. `bot`, `user`, `invitation`"),
  targetId: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe("Entries at or after this ISO date-time"),
  to: z.iso.datetime({ offset: true }).optional().describe("Entries at or before this ISO date-time"),
});
/** Filters of the audit log. */
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** One page request of the audit log: filters, page size and the cursor of the previous page. */
export const auditPageQuerySchema = auditFilterSchema.extend({
  limit: z.coerce.number<number>().int().min(1).max(200).default(50).describe("Entries per page (1-200)"),
  cursor: z.string().max(64).optional().describe("`nextCursor` of the previous page"),
});
/** One page request of the audit log. */
export type AuditPageQuery = z.input<typeof auditPageQuerySchema>;

/** An audit log entry as the console and the REST API show it (secret-looking values redacted). */
export const auditEntryViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** The target's current name (bot, flow, key, member's e-mail...); null when deleted or unnamed. */
  targetLabel: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ipAddress: z.string().nullable(),
});
/** An audit log entry. */
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;

/** A page of the audit log, newest first. */
export const auditPageSchema = z.object({
  entries: z.array(auditEntryViewSchema),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last"),
});
/** A page of the audit log. */
export type AuditPage = z.infer<typeof auditPageSchema>;
