/**
 * Wire types the widget uses. Only TYPES come from @parley/contract (erased at build time), so no
 * zod or xstate code lands in widget.js.
 */
import type {
  AskInput,
  ConversationStatus,
  CreateConversationResponse,
  OutgoingMessage,
  Problem,
  ReplyOption,
  SendMessageRequest,
  TranscriptEntry,
  TranscriptResponse,
  TurnResponse,
} from "@parley/contract";

export type {
  AskInput,
  ConversationStatus,
  CreateConversationResponse,
  OutgoingMessage,
  Problem,
  ReplyOption,
  SendMessageRequest,
  TranscriptEntry,
  TranscriptResponse,
  TurnResponse,
};

/** One LLM token event of the SSE stream. */
export interface StreamToken {
  readonly nodeId: string;
  readonly streamId: string;
  readonly token: string;
}

/** A decoded event of `POST .../messages` with `Accept: text/event-stream`. */
export type TurnStreamEvent =
  | { readonly event: "message"; readonly data: OutgoingMessage }
  | { readonly event: "token"; readonly data: StreamToken }
  | { readonly event: "done"; readonly data: TurnResponse }
  | { readonly event: "error"; readonly data: Problem };

/** Per-bot look and feel, set in the studio; every field is optional and falls back to a default. */
export interface WidgetTheme {
  /** Accent color (launcher, header, user bubbles, buttons), a CSS color. */
  primaryColor?: string;
  /** Text color on the accent color. */
  primaryTextColor?: string;
  /** Window title and the launcher's accessible name. */
  title?: string;
  /** A line under the title. */
  subtitle?: string;
  /** Shown at the top of the chat before the bot speaks. */
  greeting?: string;
  /** The bot's avatar image URL. */
  avatarUrl?: string;
  /** Corner of the launcher and window in bubble mode. */
  position?: "bottom-right" | "bottom-left";
  /** CSS font-family list (fonts the page or the system already has). */
  fontFamily?: string;
  /** `light`, `dark`, or `auto` (follows the visitor's system preference). */
  colorScheme?: "light" | "dark" | "auto";
}

/** `GET /api/v1/widget/bots/{botId}/config` response (if the runtime offers it). */
export interface WidgetConfig {
  theme?: WidgetTheme;
  /** Origins (e.g. `https://cdn.example.com`) whose images markdown text may load. */
  imageOrigins?: string[];
}
