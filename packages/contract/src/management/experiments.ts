import { z } from "zod";
import { flowVersionViewSchema } from "./flows";

/** A variant key: names the variant in results (and, for ab-split experiments, the branch taken). */
export const experimentVariantKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, `_` and `-` only");

/** One variant: its key, its share of new conversations and, optionally, the published flow version it runs. */
export const experimentVariantSchema = z
  .object({
    key: experimentVariantKeySchema,
    weight: z.number().positive("must be greater than 0").max(1_000_000),
    flowVersionId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("A published version of the bot's entry flow; omit for ab-split variants"),
  })
  .strict();
/** One variant of an experiment. */
export type ExperimentVariant = z.infer<typeof experimentVariantSchema>;

/** What counts as a conversion: reaching a node, setting a variable, or an analytics event. */
export const experimentGoalSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("node"),
      nodeId: z.string().min(1).max(100).describe("A node of the entry flow"),
    })
    .strict(),
  z
    .object({
      type: z.literal("variable"),
      name: z
        .string()
        .min(1)
        .max(100)
        .describe("Converted when the conversation's variable is set and truthy"),
    })
    .strict(),
  z
    .object({
      type: z.literal("event"),
      event: z.string().min(1).max(100).describe("An analytics event type, e.g. `handoff.requested`"),
    })
    .strict(),
]);
/** An experiment's goal. */
export type ExperimentGoal = z.infer<typeof experimentGoalSchema>;

/** An experiment's lifecycle: edited while draft, assigns while running, frozen once stopped. */
export const experimentStatusSchema = z.enum(["draft", "running", "stopped"]);
/** An experiment's status. */
export type ExperimentStatus = z.infer<typeof experimentStatusSchema>;

const variantsSchema = z
  .array(experimentVariantSchema)
  .min(2, "an experiment needs at least 2 variants")
  .max(10, "at most 10 variants");

/** Input of creating an experiment (`POST /api/v1/bots/{botId}/experiments`). The first variant is the control. */
export const createExperimentInputSchema = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(120),
    description: z.string().max(2000).optional(),
    variants: variantsSchema,
    goal: experimentGoalSchema,
    abSplitNodeId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "The entry flow's ab-split node whose branches the variant keys name (when no variant pins a version)",
      ),
  })
  .strict();
/** Input of creating an experiment. */
export type CreateExperimentInput = z.input<typeof createExperimentInputSchema>;

/** Input of changing a draft experiment (`PATCH /api/v1/experiments/{id}`): the fields given are replaced. */
export const updateExperimentInputSchema = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(120).optional(),
    description: z.string().max(2000).optional(),
    variants: variantsSchema.optional(),
    goal: experimentGoalSchema.optional(),
    abSplitNodeId: z.string().min(1).max(100).nullable().optional(),
  })
  .strict();
/** Input of changing a draft experiment. */
export type UpdateExperimentInput = z.input<typeof updateExperimentInputSchema>;

/** What creating an experiment answers. */
export const createdExperimentSchema = z.object({ id: z.string(), status: experimentStatusSchema });
/** What creating an experiment answers. */
export type CreatedExperiment = z.infer<typeof createdExperimentSchema>;

/** An experiment as the API lists it. */
export const experimentViewSchema = z.object({
  id: z.string(),
  botId: z.string(),
  flowId: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  status: experimentStatusSchema,
  variants: z.array(experimentVariantSchema),
  goal: experimentGoalSchema,
  abSplitNodeId: z.string().nullable(),
  startedAt: z.string().nullable().describe("ISO date-time"),
  endedAt: z.string().nullable().describe("ISO date-time"),
  createdAt: z.string(),
});
/** An experiment. */
export type ExperimentView = z.infer<typeof experimentViewSchema>;

/** One variant's figures. `ci95` is the Wilson score interval of its conversion rate. */
export const variantResultSchema = z.object({
  key: z.string(),
  conversations: z.number().int(),
  conversions: z.number().int(),
  rate: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
});
/** One variant's figures. */
export type VariantResult = z.infer<typeof variantResultSchema>;

/** Results of an experiment (`GET /api/v1/experiments/{id}/results`); the control is the first variant. */
export const experimentResultsSchema = z.object({
  status: experimentStatusSchema,
  variants: z.array(variantResultSchema),
  pValue: z
    .number()
    .nullable()
    .describe(
      "Two-sided two-proportion z-test of the best challenger against the control; null without data",
    ),
  probabilityToBeatControl: z
    .number()
    .nullable()
    .describe("Bayesian P(challenger rate > control rate) under Beta(1,1) priors, for the best challenger"),
  winner: z
    .string()
    .nullable()
    .describe(
      "The winning variant's key: only when significant at 5% and every variant reached the sample-size hint",
    ),
  sampleSizeHint: z
    .number()
    .int()
    .describe(
      "Conversations per variant needed to detect a 20% relative lift at 5% significance and 80% power",
    ),
});
/** Results of an experiment. */
export type ExperimentResults = z.infer<typeof experimentResultsSchema>;

/** Input of promoting a variant (`POST /api/v1/experiments/{id}/promote`). */
export const promoteExperimentInputSchema = z.object({ variantKey: experimentVariantKeySchema }).strict();
/** Input of promoting a variant. */
export type PromoteExperimentInput = z.input<typeof promoteExperimentInputSchema>;

/** What promoting answers: the stopped experiment and the flow version now published. */
export const promotedExperimentSchema = z.object({
  experiment: experimentViewSchema,
  version: flowVersionViewSchema,
});
/** What promoting answers. */
export type PromotedExperiment = z.infer<typeof promotedExperimentSchema>;
