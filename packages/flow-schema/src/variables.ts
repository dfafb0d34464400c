import { z } from "zod";
import { jsonValueSchema, variableNameSchema } from "./common";

/**
 * Types a variable can have. `date` values are ISO 8601 strings (`2025-01-31` or a full
 * timestamp); `list` is a JSON array; `object` a JSON object.
 */
export const variableTypes = ["string", "number", "boolean", "date", "list", "object"] as const;

/** The type of a variable. */
export const variableTypeSchema = z.enum(variableTypes).meta({ id: "VariableType" });

/** The type of a variable. */
export type VariableType = z.infer<typeof variableTypeSchema>;

/**
 * Where a variable lives: `conversation` (reset for every conversation) or `contact` (kept on the
 * contact across conversations).
 */
export const variableScopeSchema = z.enum(["conversation", "contact"]).meta({ id: "VariableScope" });

/** Where a variable lives. */
export type VariableScope = z.infer<typeof variableScopeSchema>;

/**
 * A typed variable declared by the flow. `default` (optional) must match `type`; this is
 * checked by `validateFlow` (code `default-type-mismatch`) so editors can show it in place.
 * Without a default the variable starts unset.
 */
export const variableDeclarationSchema = z
  .strictObject({
    name: variableNameSchema,
    type: variableTypeSchema,
    default: jsonValueSchema.optional(),
    scope: variableScopeSchema.default("conversation"),
    description: z.string().max(500).optional(),
    /**
     * Whether a client holding only the bot's publishable key (the widget) may preset this variable
     * when it starts a conversation. Absent means false: visitors can set nothing the flow author
     * did not open to them.
     */
    clientSettable: z.boolean().optional().meta({
      description:
        "Whether the widget (publishable key) may preset this variable when starting a conversation; default false",
    }),
  })
  .meta({ id: "VariableDeclaration" });

/** A typed variable declared by the flow. */
export type VariableDeclaration = z.infer<typeof variableDeclarationSchema>;
