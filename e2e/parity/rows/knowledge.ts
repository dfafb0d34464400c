import { createBot, uploadKnowledgeDocument } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

const newBot = (fx: ParityFixture) => createBot(fx.owner, { name: fx.unique("bot") });

/**
 * A bot's knowledge base: the knowledge page and /api/v1/bots/{botId}/knowledge/..., each pair over
 * the same core function of core/knowledge (uploads are queued; indexing is the worker's).
 */
export const knowledgeRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list a bot's knowledge documents",
    permission: "bots:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "knowledge.list", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/knowledge/documents` },
  }),
  parityRow({
    name: "upload a knowledge document",
    permission: "knowledge:write",
    audit: { action: "knowledge_document.create", targetType: "knowledge_document" },
    setup: newBot,
    studio: {
      procedure: "knowledge.upload",
      input: (bot, fx) => ({ botId: bot.id, format: "text", content: `Opening hours ${fx.unique("text")}` }),
    },
    rest: {
      method: "POST",
      path: (bot) => `/api/v1/bots/${bot.id}/knowledge/documents`,
      body: (_, fx) => ({ text: `Opening hours ${fx.unique("text")}` }),
    },
  }),
  parityRow({
    name: "add knowledge URLs",
    permission: "knowledge:write",
    audit: { action: "knowledge_document.create", targetType: "knowledge_document" },
    setup: newBot,
    studio: {
      procedure: "knowledge.addUrls",
      input: (bot, fx) => ({ botId: bot.id, urls: [`https://docs.example.com/${fx.unique("page")}`] }),
    },
    rest: {
      method: "POST",
      path: (bot) => `/api/v1/bots/${bot.id}/knowledge/documents`,
      body: (_, fx) => ({ urls: [`https://docs.example.com/${fx.unique("page")}`] }),
    },
  }),
  parityRow({
    name: "delete a knowledge document",
    permission: "knowledge:write",
    audit: { action: "knowledge_document.delete", targetType: "knowledge_document" },
    setup: async (fx) => {
      const bot = await newBot(fx);
      const { document } = await uploadKnowledgeDocument(fx.owner, bot.id, {
        format: "text",
        content: `Returns ${fx.unique("doc")}`,
      });
      return { botId: bot.id, documentId: document.id };
    },
    studio: { procedure: "knowledge.delete", input: (doc) => doc },
    rest: {
      method: "DELETE",
      path: (doc) => `/api/v1/bots/${doc.botId}/knowledge/documents/${doc.documentId}`,
    },
  }),
  parityRow({
    name: "search a bot's knowledge",
    permission: "bots:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "knowledge.search", input: (bot) => ({ botId: bot.id, query: "opening hours" }) },
    rest: {
      method: "POST",
      path: (bot) => `/api/v1/bots/${bot.id}/knowledge/search`,
      body: () => ({ query: "opening hours" }),
    },
  }),
];
