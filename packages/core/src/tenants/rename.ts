import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { createTenantInputSchema } from "./tenants";

const renameInputSchema = createTenantInputSchema.pick({ name: true }).strict();

/** Renames the context's workspace (audited with the old and new name). Needs `tenant:manage`. */
export async function renameTenant(
  ctx: ServiceContext,
  input: { name: string },
): Promise<{ id: string; name: string }> {
  authorize(ctx, "tenant:manage");
  const { name } = parseInput(renameInputSchema, input, "workspace");
  return tenantDb(ctx).$transaction(async (tx) => {
    const before = await tx.tenant.findFirstOrThrow({ select: { name: true } });
    const tenant = await tx.tenant.update({ where: { id: ctx.tenantId }, data: { name } });
    await recordAudit(tx, ctx, {
      action: "tenant.update",
      targetType: "tenant",
      targetId: ctx.tenantId,
      before,
      after: { name },
    });
    return { id: tenant.id, name: tenant.name };
  });
}
