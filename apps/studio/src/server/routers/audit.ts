import { z } from "zod";
import { auditCsv, auditFilterSchema, listAuditEntries } from "../services/audit-log";
import { router, tenantProcedure } from "../trpc";

/** The workspace's audit log: filterable, paged, exportable as CSV. */
export const auditRouter = router({
  list: tenantProcedure("audit:read")
    .input(
      auditFilterSchema.extend({
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().max(64).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { limit, cursor, ...filter } = input;
      return listAuditEntries(ctx.tenant.db, filter, { limit, cursor });
    }),
  exportCsv: tenantProcedure("audit:read")
    .input(auditFilterSchema)
    .query(async ({ ctx, input }) => ({
      filename: `audit-${ctx.now().toISOString().slice(0, 10)}.csv`,
      csv: await auditCsv(ctx.tenant.db, input),
    })),
});
