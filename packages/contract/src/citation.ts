import { z } from "zod";

/** A source that backs a grounded (knowledge) answer: shown under the answer by the widget and the studio. */
export const citationSchema = z.object({
  title: z.string(),
  url: z.string().optional(),
  snippet: z.string().optional(),
  sourceId: z.string().optional(),
});
/** A source that backs a grounded answer. */
export type Citation = z.infer<typeof citationSchema>;
