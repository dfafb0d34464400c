/**
 * Public entry of @parley/widget: the framework-free client the widget UI is built on, for tests and
 * for anyone who wants their own chat UI over the conversation API. The browser bundle is built from
 * `src/embed.tsx`; the node-only helpers to serve it live in `@parley/widget/server`.
 */
export { type ApiOptions, type ConversationApi, createConversationApi } from "./client/api";
export { ApiError } from "./client/api-error";
export { createImagePolicy, type ImagePolicy } from "./client/images";
export { type ChatItem, currentPrompt, itemsFromTranscript } from "./client/items";
export { type Block, type Inline, parseMarkdown, safeLinkUrl } from "./client/markdown";
export { type ChatEvents, ChatSession, type ChatSessionOptions, type ChatState } from "./client/session";
export { readSse, SseDecoder, type SseEvent } from "./client/sse";
export { type ConversationStore, localConversationStore } from "./client/storage";
export type {
  KnownWidgetConfig,
  StreamToken,
  TurnStreamEvent,
  WidgetConfig,
  WidgetTheme,
} from "./client/types";
export { validateAnswer } from "./client/validate";
export type { ParleyApi } from "./parley-api";
