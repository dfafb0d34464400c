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
  type Channel,
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
} from "./conversations";
export { MIN_PASSWORD_LENGTH, passwordSchema } from "./management/accounts";
export {
  type AuditEntryView,
  type AuditFilter,
  type AuditPage,
  type AuditPageQuery,
  auditEntryViewSchema,
  auditFilterSchema,
  auditPageQuerySchema,
  auditPageSchema,
} from "./management/audit";
export {
  type ChangeMemberRoleInput,
  changeMemberRoleInputSchema,
  emailAddressSchema,
  type InvitationView,
  type InviteMemberInput,
  invitationViewSchema,
  inviteMemberInputSchema,
  type MemberRole,
  type MemberView,
  memberRoleSchema,
  memberViewSchema,
} from "./management/members";
export { type FieldProblem, fieldProblemSchema, type Problem, problemSchema } from "./problem";
export { type StreamEvent, type StreamEventName, streamEventSchemas } from "./stream";
export {
  sanitizeWidgetTheme,
  type WidgetConfig,
  type WidgetTheme,
  widgetConfigSchema,
  widgetThemeSchema,
} from "./widget";
