import { z } from "zod";

/** One field-level problem inside a request: where (a JSON path) and what is wrong. */
export const fieldProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/**
 * RFC 9457 problem details (`application/problem+json`), the body of every 4xx/5xx the API returns.
 * `code` is a stable machine-readable identifier (`conversation-not-found`, `rate-limited`, ...).
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(fieldProblemSchema).optional(),
});

/** An API error body. */
export type Problem = z.infer<typeof problemSchema>;
/** One field-level problem inside a request. */
export type FieldProblem = z.infer<typeof fieldProblemSchema>;
