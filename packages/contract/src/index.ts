/**
 * Public entry of @parley/contract: the wire contract between the runtime and its clients (widget,
 * studio, API users). Payload shapes live here once; the runtime validates with them and generates
 * its OpenAPI document from them, clients import the inferred types.
 */
export {
  type OutgoingAskInput as AskInput,
  type OutgoingMessage,
  outgoingMessageSchema,
  type ReplyOption,
} from "@parley/engine";
export {
  authorSchema,
  boundedVariablesSchema,
  type Channel,
  CLIENT_VARIABLES_BOUNDS,
  type ConversationStatus,
  type CreateConversationRequest,
  type CreateConversationResponse,
  channelSchema,
  conversationStatusSchema,
  createConversationRequestSchema,
  createConversationResponseSchema,
  type SendMessageRequest,
  sendMessageRequestSchema,
  type TranscriptEntry,
  type TranscriptResponse,
  type TurnResponse,
  transcriptEntrySchema,
  transcriptResponseSchema,
  turnResponseSchema,
  VARIABLES_BOUNDS,
} from "./conversations";
export { type JsonBounds, jsonBoundsProblem, jsonDepthProblem } from "./json-bounds";
export {
  type IdentitySecretResponse,
  type IdentityTokenClaims,
  type IdentityVerificationStatus,
  identitySecretResponseSchema,
  identityTokenClaimsSchema,
  identityVerificationStatusSchema,
} from "./management/identity";
export { type FieldProblem, fieldProblemSchema, type Problem, problemSchema } from "./problem";
export { type StreamEvent, type StreamEventName, streamEventSchemas } from "./stream";
export {
  sanitizeWidgetTheme,
  type WidgetConfig,
  type WidgetTheme,
  widgetConfigSchema,
  widgetThemeSchema,
} from "./widget";
