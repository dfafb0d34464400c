import { listConversationsQuerySchema, resultsQuerySchema } from "@parley/contract";
import { exportResults, getConversation, listConversations, listResults } from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const botInput = z.object({ botId: idSchema });
/** Rows the studio's download holds in memory; the REST export streams any number. */
export const STUDIO_EXPORT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * A bot's conversations, transcripts and results, each a call of @parley/core (the REST API's
 * `/api/v1/bots/{botId}/conversations`, `/api/v1/conversations/{id}` and `/api/v1/bots/{botId}/results`
 * call the same functions). Needs `conversations:read`.
 */
export const conversationsRouter = router({
  list: tenantProcedure("conversations:read")
    .input(listConversationsQuerySchema.extend(botInput.shape))
    .query(({ ctx, input: { botId, ...query } }) => listConversations(serviceContext(ctx), botId, query)),
  get: tenantProcedure("conversations:read")
    .input(z.object({ conversationId: idSchema }))
    .query(({ ctx, input }) => getConversation(serviceContext(ctx), input.conversationId)),
  results: tenantProcedure("conversations:read")
    .input(resultsQuerySchema.extend(botInput.shape))
    .query(({ ctx, input: { botId, ...query } }) =>
      listResults(serviceContext(ctx), botId, { ...query, format: "json" }),
    ),
  /** The results file (CSV or XLSX, base64) for the browser to save; up to STUDIO_EXPORT_MAX_BYTES. */
  exportResults: tenantProcedure("conversations:read")
    .input(resultsQuerySchema.extend({ ...botInput.shape, format: z.enum(["csv", "xlsx"]) }))
    .query(async ({ ctx, input: { botId, ...query } }) => {
      const file = await exportResults(serviceContext(ctx), botId, query);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of file.body) {
        const bytes = Buffer.from(chunk as Buffer | string);
        size += bytes.length;
        if (size > STUDIO_EXPORT_MAX_BYTES) {
          file.body.destroy();
          throw new Error(
            "The export is larger than 20 MB: narrow the filters, or download it from the REST API " +
              `(GET /api/v1/bots/${botId}/results?format=${query.format}), which streams any size.`,
          );
        }
        chunks.push(bytes);
      }
      return {
        filename: file.filename,
        contentType: file.contentType,
        base64: Buffer.concat(chunks).toString("base64"),
      };
    }),
});
