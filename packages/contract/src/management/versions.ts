import { z } from "zod";
import { flowVersionViewSchema } from "./flows";

/** One version with its flow document, as the API returns it (the diff and rollback previews use it). */
export const flowVersionDetailSchema = flowVersionViewSchema.extend({
  document: z.record(z.string(), z.unknown()),
});
/** One version with its flow document. */
export type FlowVersionDetail = z.infer<typeof flowVersionDetailSchema>;

/** A version number: 1, 2, 3... per flow. */
export const versionNumberSchema = z.number().int().min(1).max(2_147_483_647);

/** Input of core's `rollbackFlow`. */
export const rollbackFlowInputSchema = z
  .object({
    /** The version to publish again. */
    version: versionNumberSchema,
    /**
     * The draft revision the caller last saw; when given and someone saved since, the rollback is
     * refused (`draft-conflict`) instead of overwriting their unsaved work.
     */
    expectedRevision: z.number().int().nonnegative().optional(),
    /** Defaults to "Rollback to version N". */
    note: z.string().max(2_000).optional(),
  })
  .strict();

/** `/api/v1/flows/{flowId}/versions/{version}` path parameters (the version arrives as text). */
export const flowVersionParamsSchema = z
  .object({
    flowId: z.string().min(1).max(100).describe("The flow's id"),
    version: z.coerce.number().int().min(1).max(2_147_483_647).describe("The version number (1, 2, ...)"),
  })
  .strict();

/** `POST /api/v1/flows/{flowId}/versions/{version}/rollback` body (optional): the version is in the path. */
export const rollbackFlowBodySchema = rollbackFlowInputSchema.omit({ version: true });
