import {
  botIdParamsSchema,
  createdExperimentSchema,
  createExperimentInputSchema,
  experimentResultsSchema,
  experimentViewSchema,
  idParamsSchema,
  promotedExperimentSchema,
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
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const experimentParams = idParamsSchema("experimentId", "The experiment's id");

/** A/B experiments: the REST twins of the studio's Experiments tab (same core functions). */
export const experimentRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/experiments",
    operationId: "createExperiment",
    summary: "Create a draft A/B experiment on a bot",
    description:
      "The first variant is the control. Variants either all pin published versions of the bot's entry flow " +
      "(`flowVersionId`), or none does and their keys name the branches of an ab-split node of the entry flow " +
      "(`abSplitNodeId`, or the flow's only ab-split node). The goal is reaching a node, setting a variable, or " +
      "an analytics event.",
    tag: "Experiments",
    permission: "flows:publish",
    params: botIdParamsSchema,
    body: createExperimentInputSchema,
    success: { status: 201, description: "Created as a draft", schema: createdExperimentSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => createExperiment(ctx, params.botId, body),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/experiments",
    operationId: "listExperiments",
    summary: "List a bot's experiments (newest first)",
    tag: "Experiments",
    permission: "analytics:read",
    params: botIdParamsSchema,
    success: {
      status: 200,
      description: "The experiments",
      schema: z.object({ items: z.array(experimentViewSchema) }),
    },
    errors: [404],
    handler: async ({ params, ctx }) => ({ items: await listExperiments(ctx, params.botId) }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/experiments/{experimentId}",
    operationId: "getExperiment",
    summary: "Get an experiment",
    tag: "Experiments",
    permission: "analytics:read",
    params: experimentParams,
    success: { status: 200, description: "The experiment", schema: experimentViewSchema },
    errors: [404],
    handler: ({ params, ctx }) => getExperiment(ctx, params.experimentId),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/experiments/{experimentId}",
    operationId: "updateExperiment",
    summary: "Change a draft experiment",
    tag: "Experiments",
    permission: "flows:publish",
    params: experimentParams,
    body: updateExperimentInputSchema,
    success: { status: 200, description: "The changed experiment", schema: experimentViewSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => updateExperiment(ctx, params.experimentId, body),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/experiments/{experimentId}/start",
    operationId: "startExperiment",
    summary: "Start an experiment: new conversations of the bot are assigned a variant",
    description:
      "Assignment is by weight and sticky per contact. One running experiment per bot (409 otherwise).",
    tag: "Experiments",
    permission: "flows:publish",
    params: experimentParams,
    success: { status: 200, description: "The running experiment", schema: experimentViewSchema },
    errors: [404, 409, 422],
    handler: ({ params, ctx }) => startExperiment(ctx, params.experimentId),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/experiments/{experimentId}/stop",
    operationId: "stopExperiment",
    summary: "Stop a running experiment",
    tag: "Experiments",
    permission: "flows:publish",
    params: experimentParams,
    success: { status: 200, description: "The stopped experiment", schema: experimentViewSchema },
    errors: [404, 409],
    handler: ({ params, ctx }) => stopExperiment(ctx, params.experimentId),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/experiments/{experimentId}/results",
    operationId: "getExperimentResults",
    summary: "Live results: conversions per variant, confidence intervals and significance",
    description:
      "Per variant: conversations, conversions, rate and the Wilson 95% interval. The best challenger is compared " +
      "with the control (first variant): two-proportion z-test p-value and the Bayesian probability to beat the " +
      "control. `winner` is set only when the difference is significant at 5% and every variant reached " +
      "`sampleSizeHint` conversations.",
    tag: "Experiments",
    permission: "analytics:read",
    params: experimentParams,
    success: { status: 200, description: "The results", schema: experimentResultsSchema },
    errors: [404],
    handler: ({ params, ctx }) => experimentResults(ctx, params.experimentId),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/experiments/{experimentId}/promote",
    operationId: "promoteExperimentVariant",
    summary: "Publish a variant as the bot's flow and stop the experiment",
    description:
      "A pinned variant's version is published again as the entry flow's newest version; an ab-split variant " +
      "publishes the current flow with the split sending everyone down its branch. Audited.",
    tag: "Experiments",
    permission: "flows:publish",
    params: experimentParams,
    body: promoteExperimentInputSchema,
    success: {
      status: 200,
      description: "The stopped experiment and the published version",
      schema: promotedExperimentSchema,
    },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => promoteExperimentVariant(ctx, params.experimentId, body),
  }),
];
