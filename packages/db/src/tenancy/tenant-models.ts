import { Prisma } from "../generated/prisma/client";

/** Prisma model names, e.g. "Bot", "ApiKey". */
export type ModelName = Prisma.ModelName;

/** Client property of a model, e.g. "bot", "apiKey". */
export type ModelProp = Prisma.TypeMap["meta"]["modelProps"];

/** Client properties of the models that have a `tenantId` field, computed from the generated types. */
export type TenantOwnedModelProp = {
  [P in ModelProp]: "tenantId" extends keyof Prisma.TypeMap["model"][Capitalize<P>]["payload"]["scalars"]
    ? P
    : never;
}[ModelProp];

/** How the tenant-scoped client treats a model. */
export type ModelScope = "tenant-owned" | "tenant-row" | "global";

/**
 * Every model with a `tenantId` scalar field, derived from the generated client (not a hand-kept list):
 * adding such a model to the schema makes it tenant-scoped automatically.
 */
export const tenantOwnedModels: ReadonlySet<ModelName> = new Set(
  Object.values(Prisma.ModelName).filter((model) => "tenantId" in scalarFieldsOf(model)),
);

/** How `model` is scoped: by its `tenantId`, by its own id (the Tenant row), or not at all (global). */
export function scopeOf(model: ModelName): ModelScope {
  if (model === Prisma.ModelName.Tenant) return "tenant-row";
  return tenantOwnedModels.has(model) ? "tenant-owned" : "global";
}

/** The client property of a model ("ApiKey" -> "apiKey"), as Prisma names its delegates. */
export function modelProp(model: ModelName): ModelProp {
  return `${model.charAt(0).toLowerCase()}${model.slice(1)}` as ModelProp;
}

function scalarFieldsOf(model: ModelName): Record<string, string> {
  // The generated namespace exports `<Model>ScalarFieldEnum` for every model.
  const fields = (Prisma as unknown as Record<string, unknown>)[`${model}ScalarFieldEnum`];
  if (typeof fields !== "object" || fields === null) {
    throw new Error(
      `The generated Prisma client has no ${model}ScalarFieldEnum; regenerate it (npm run generate)`,
    );
  }
  return fields as Record<string, string>;
}
