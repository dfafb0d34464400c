import { type AnyParityRow, parityRow } from "../row";

/** The audit log: the Audit page (list, CSV export) and GET /api/v1/audit-log. */
export const auditRows: readonly AnyParityRow[] = [
  parityRow({
    name: "read the audit log",
    permission: "audit:read",
    audit: null,
    studio: { procedure: "audit.list", input: () => ({ action: "member.", limit: 10 }) },
    rest: { method: "GET", path: () => "/api/v1/audit-log?action=member.&limit=10" },
  }),
  parityRow({
    name: "export the audit log as CSV",
    permission: "audit:read",
    audit: null,
    studio: { procedure: "audit.exportCsv", input: () => ({ action: "member." }) },
    rest: { method: "GET", path: () => "/api/v1/audit-log?action=member.&format=csv" },
  }),
];
