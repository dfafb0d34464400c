/**
 * Wire types the widget uses, all inferred from @parley/contract's schemas (one definition, no hand
 * copies). Only TYPES are imported, and `import type` is erased at build time, so no zod code lands
 * in widget.js.
 */
import type {
  AskInput,
  ConversationStatus,
  CreateConversationResponse,
  OutgoingMessage,
  Problem,
  ReplyOption,
  SendMessageRequest,
  StreamEvent,
  StreamToken,
  TranscriptEntry,
  TranscriptResponse,
  TurnResponse,
  WidgetConfig,
  WidgetTheme,
} from "@parley/contract";

export type {
  AskInput,
  ConversationStatus,
  CreateConversationResponse,
  OutgoingMessage,
  Problem,
  ReplyOption,
  SendMessageRequest,
  StreamToken,
  TranscriptEntry,
  TranscriptResponse,
  TurnResponse,
  WidgetConfig,
  WidgetTheme,
};

/** A decoded event of `POST .../messages` with `Accept: text/event-stream`. */
export type TurnStreamEvent = StreamEvent;

/**
 * A widget config as this page knows it: the runtime's answer, or `{}` when the runtime has none for
 * the bot (a 404, remembered in the cache so the next load does not wait for it again).
 */
export type KnownWidgetConfig = Partial<WidgetConfig>;
