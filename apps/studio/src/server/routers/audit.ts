import { auditFilterSchema, auditPageQuerySchema } from "@parley/contract";
import { exportAuditCsv, listAuditEntries } from "@parley/core";
import { serviceContext } from "../core-bridge";
import { router, tenantProcedure } from "../trpc";

/** The workspace's audit log: filterable, paged, exportable as CSV (REST twin: /api/v1/audit-log). */
export const auditRouter = router({
  list: tenantProcedure("audit:read")
    .input(auditPageQuerySchema)
    .query(({ ctx, input }) => listAuditEntries(serviceContext(ctx), input)),
  exportCsv: tenantProcedure("audit:read")
    .input(auditFilterSchema)
    .query(async ({ ctx, input }) => ({
      filename: `audit-${ctx.now().toISOString().slice(0, 10)}.csv`,
      csv: await exportAuditCsv(serviceContext(ctx), input),
    })),
});
