import type { AuditEntryView } from "@parley/contract";

/**
 * Quotes a CSV field (RFC 4180) and defuses spreadsheet formulas (`=`, `+`, `-`, `@` at the start).
 * @example csvField('say "hi", ok') // '"say ""hi"", ok"'
 */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line of the audit CSV export (with its CRLF). */
export const AUDIT_CSV_HEADER = `${[
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
].join(",")}\r\n`;

/** One entry as a CSV line (with its CRLF), in the header's column order. */
export const auditCsvLine = (e: AuditEntryView): string =>
  `${[
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
    .join(",")}\r\n`;
