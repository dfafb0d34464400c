import { type ModelPrice, modelPriceSchema } from "@parley/contract";
import { DEFAULT_PRICES } from "@parley/models";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { existingPrice } from "./model-checks";
import { withModelErrors } from "./model-errors";
import { modelParts } from "./model-services";

/** A price row of the tenant. */
export type PriceView = ModelPrice & { id: string };

/** The workspace's own prices, and the built-in list prices they override. Needs `bots:read`. */
export async function getModelPrices(
  ctx: ServiceContext,
): Promise<{ prices: PriceView[]; defaults: ModelPrice[] }> {
  authorize(ctx, "bots:read");
  return {
    prices: await modelParts(ctx.deps).admin.listPrices(ctx.tenantId),
    defaults: DEFAULT_PRICES.map((price) => ({ ...price })),
  };
}

const auditedPrice = (row: {
  provider: string;
  model: string;
  inputPerMillion: unknown;
  outputPerMillion: unknown;
}) => ({
  provider: row.provider,
  model: row.model,
  inputPerMillion: Number(row.inputPerMillion),
  outputPerMillion: Number(row.outputPerMillion),
});

/**
 * Sets the tenant's price of one provider/model (USD per million tokens), replacing any. Needs
 * `models:manage`; audited.
 */
export async function saveModelPrice(ctx: ServiceContext, input: ModelPrice): Promise<PriceView> {
  authorize(ctx, "models:manage");
  const price = parseInput(modelPriceSchema, input, "price");
  const db = tenantDb(ctx);
  const before = await db.modelPrice.findFirst({ where: { provider: price.provider, model: price.model } });
  const saved = await withModelErrors("price", () =>
    modelParts(ctx.deps).admin.savePrice(ctx.tenantId, price),
  );
  if (!saved) throw new ServiceError("conflict", "price-vanished", "the price was deleted while saving");
  await recordAudit(db, ctx, {
    action: before ? "model_price.update" : "model_price.create",
    targetType: "model_price",
    targetId: saved.id,
    ...(before ? { before: auditedPrice(before) } : {}),
    after: saved,
  });
  return saved;
}

/** Removes one price of the tenant (the list price applies again). Needs `models:manage`; audited. */
export async function deleteModelPrice(ctx: ServiceContext, priceId: string): Promise<void> {
  authorize(ctx, "models:manage");
  const db = tenantDb(ctx);
  const row = await existingPrice(db, priceId);
  await modelParts(ctx.deps).admin.deletePrice(ctx.tenantId, row.id);
  await recordAudit(db, ctx, {
    action: "model_price.delete",
    targetType: "model_price",
    targetId: row.id,
    before: auditedPrice(row),
  });
}
