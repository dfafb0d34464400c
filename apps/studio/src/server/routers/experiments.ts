import {
  createExperimentInputSchema,
  promoteExperimentInputSchema,
  updateExperimentInputSchema,
} from "@parley/contract";
import {
  createExperiment,
  experimentResults,
  getExperiment,
  listExperiments,
  promoteExperimentVariant,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const experimentInput = z.object({ experimentId: idSchema });

/** A/B experiments of a bot (REST twins: /api/v1/bots/{botId}/experiments, /api/v1/experiments/{id}/...). */
export const experimentsRouter = router({
  list: tenantProcedure("analytics:read")
    .input(z.object({ botId: idSchema }))
    .query(({ ctx, input }) => listExperiments(serviceContext(ctx), input.botId)),
  get: tenantProcedure("analytics:read")
    .input(experimentInput)
    .query(({ ctx, input }) => getExperiment(serviceContext(ctx), input.experimentId)),
  results: tenantProcedure("analytics:read")
    .input(experimentInput)
    .query(({ ctx, input }) => experimentResults(serviceContext(ctx), input.experimentId)),
  create: tenantProcedure("flows:publish")
    .input(z.object({ botId: idSchema, experiment: createExperimentInputSchema }))
    .mutation(({ ctx, input }) => createExperiment(serviceContext(ctx), input.botId, input.experiment)),
  update: tenantProcedure("flows:publish")
    .input(z.object({ experimentId: idSchema, changes: updateExperimentInputSchema }))
    .mutation(({ ctx, input }) => updateExperiment(serviceContext(ctx), input.experimentId, input.changes)),
  start: tenantProcedure("flows:publish")
    .input(experimentInput)
    .mutation(({ ctx, input }) => startExperiment(serviceContext(ctx), input.experimentId)),
  stop: tenantProcedure("flows:publish")
    .input(experimentInput)
    .mutation(({ ctx, input }) => stopExperiment(serviceContext(ctx), input.experimentId)),
  promote: tenantProcedure("flows:publish")
    .input(experimentInput.extend(promoteExperimentInputSchema.shape))
    .mutation(({ ctx, input }) =>
      promoteExperimentVariant(serviceContext(ctx), input.experimentId, { variantKey: input.variantKey }),
    ),
});
