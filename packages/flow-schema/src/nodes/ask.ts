import { z } from "zod";
import { handleIdSchema, templateSchema, variableNameSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/** A calendar date `YYYY-MM-DD`. */
const isoDateSchema = z.iso.date();

/** Free text answer, optionally bounded in length. Saved as a string. */
export const askTextInputSchema = z
  .strictObject({
    type: z.literal("text"),
    minLength: z.number().int().min(0).max(10_000).optional(),
    maxLength: z.number().int().min(1).max(10_000).optional(),
  })
  .meta({ id: "AskTextInput" });

/** A number, optionally an integer and bounded. Saved as a number. */
export const askNumberInputSchema = z
  .strictObject({
    type: z.literal("number"),
    integer: z.boolean().default(false),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .meta({ id: "AskNumberInput" });

/** An e-mail address. Saved as a string. */
export const askEmailInputSchema = z.strictObject({ type: z.literal("email") }).meta({ id: "AskEmailInput" });

/**
 * A phone number. Saved as a string in E.164 form (`+15551234567`); `defaultCountry` (ISO 3166
 * alpha-2, e.g. `US`) is used when the user omits the country code.
 */
export const askPhoneInputSchema = z
  .strictObject({
    type: z.literal("phone"),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166 alpha-2 country code such as US")
      .optional(),
  })
  .meta({ id: "AskPhoneInput" });

/** A calendar date, optionally bounded (`YYYY-MM-DD`). Saved as a `YYYY-MM-DD` string. */
export const askDateInputSchema = z
  .strictObject({
    type: z.literal("date"),
    min: isoDateSchema.optional(),
    max: isoDateSchema.optional(),
  })
  .meta({ id: "AskDateInput" });

/**
 * One option of a choice question, shown as a button. `id` is stable for the editor;
 * `value` (default: `label`) is what gets saved.
 */
export const choiceOptionSchema = z
  .strictObject({
    id: handleIdSchema,
    label: z.string().min(1).max(80),
    value: z.string().max(1000).optional(),
  })
  .meta({ id: "ChoiceOption" });

/**
 * A choice between options shown as buttons. Single choice saves the chosen option's value (a
 * string); `multiple: true` saves a list of values. Typed answers match an option's label or
 * value case-insensitively.
 */
export const askChoiceInputSchema = z
  .strictObject({
    type: z.literal("choice"),
    multiple: z.boolean().default(false),
    options: z.array(choiceOptionSchema).min(1).max(20),
  })
  .meta({ id: "AskChoiceInput" });

/** What an `ask` node expects, discriminated by `type`. */
export const askInputSchema = z
  .discriminatedUnion("type", [
    askTextInputSchema,
    askNumberInputSchema,
    askEmailInputSchema,
    askPhoneInputSchema,
    askDateInputSchema,
    askChoiceInputSchema,
  ])
  .meta({ id: "AskInput" });

/** The kinds of answer an `ask` node can expect. */
export const askInputTypes = ["text", "number", "email", "phone", "date", "choice"] as const;

/**
 * Data of an `ask` node: sends `prompt`, waits for the user's answer, validates it against
 * `input` and saves it into the declared variable `saveTo`. An invalid answer gets `retryPrompt`
 * (default: the prompt again) up to `maxRetries` times; after that the flow takes the `error`
 * handle. A valid answer takes `next`.
 */
export const askNodeDataSchema = z
  .strictObject({
    prompt: templateSchema.meta({ description: "Question sent to the user; must not be empty." }),
    input: askInputSchema,
    saveTo: variableNameSchema.meta({ description: "Declared variable that receives the answer." }),
    retryPrompt: templateSchema.optional(),
    maxRetries: z.number().int().min(0).max(10).default(2),
  })
  .meta({ id: "AskNodeData" });

/** Data of an `ask` node. */
export type AskNodeData = z.infer<typeof askNodeDataSchema>;
/** What an `ask` node expects. */
export type AskInput = z.infer<typeof askInputSchema>;
/** The kind of answer an `ask` node expects. */
export type AskInputType = AskInput["type"];
/** One option of a choice question. */
export type ChoiceOption = z.infer<typeof choiceOptionSchema>;

/** An `ask` node. */
export const askNodeSchema = defineNodeSchema("ask", askNodeDataSchema, "AskNode");

/** An `ask` node. */
export type AskNode = z.infer<typeof askNodeSchema>;
