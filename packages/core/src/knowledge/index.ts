/**
 * A bot's knowledge base as the studio's knowledge page and the REST API manage it: uploads and
 * URLs are stored `pending` and indexed by the `knowledge` job (the runtime runs the worker), then
 * listed with their status, deleted, and searched.
 */
export {
  addKnowledgeDocuments,
  addKnowledgeUrls,
  deleteKnowledgeDocument,
  type KnowledgeFile,
  type KnowledgeUploadResult,
  type KnowledgeUrlResult,
  knowledgeFormatOf,
  listKnowledgeDocuments,
  searchKnowledge,
  uploadKnowledgeDocument,
  uploadKnowledgeFile,
} from "./documents";
export {
  enqueueKnowledgeIndexing,
  enqueuePendingKnowledge,
  indexKnowledgeDocument,
  KNOWLEDGE_QUEUE,
  knowledgeJobSchema,
} from "./indexing-job";
