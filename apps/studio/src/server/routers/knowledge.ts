import {
  knowledgeFileUploadSchema,
  knowledgeSearchInputSchema,
  knowledgeUrlListSchema,
} from "@parley/contract";
import {
  addKnowledgeUrls,
  deleteKnowledgeDocument,
  listKnowledgeDocuments,
  searchKnowledge,
  uploadKnowledgeFile,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const botInput = z.object({ botId: idSchema });

/**
 * A bot's knowledge base, each a call of @parley/core's knowledge services (the REST API's
 * `/api/v1/bots/{botId}/knowledge/...` call the same): documents with their indexing status,
 * uploads and URL lists (queued, indexed by the runtime's `knowledge` worker), deletion, and the
 * retrieval test. Reading and searching need `bots:read`; changing documents `knowledge:write`.
 */
export const knowledgeRouter = router({
  list: tenantProcedure("bots:read")
    .input(botInput)
    .query(({ ctx, input }) => listKnowledgeDocuments(serviceContext(ctx), input.botId)),
  upload: tenantProcedure("knowledge:write")
    .input(knowledgeFileUploadSchema.extend(botInput.shape))
    .mutation(({ ctx, input: { botId, ...file } }) => uploadKnowledgeFile(serviceContext(ctx), botId, file)),
  addUrls: tenantProcedure("knowledge:write")
    .input(knowledgeUrlListSchema.extend(botInput.shape))
    .mutation(({ ctx, input: { botId, ...urls } }) => addKnowledgeUrls(serviceContext(ctx), botId, urls)),
  delete: tenantProcedure("knowledge:write")
    .input(botInput.extend({ documentId: idSchema }))
    .mutation(({ ctx, input }) =>
      deleteKnowledgeDocument(serviceContext(ctx), input.botId, input.documentId).then(
        () => ({ ok: true }) as const,
      ),
    ),
  search: tenantProcedure("bots:read")
    .input(knowledgeSearchInputSchema.extend(botInput.shape))
    .query(({ ctx, input: { botId, ...search } }) => searchKnowledge(serviceContext(ctx), botId, search)),
});
