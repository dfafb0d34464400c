/**
 * Public entry of @parley/contract: the wire contract between the runtime and its clients (widget,
 * studio, API users, the CLI). Payload shapes live here once; the runtime validates with them and
 * generates its OpenAPI document from them, core validates its inputs with them, clients import the
 * inferred types. Depends on zod only (checked by scripts/check-deps).
 *
 * Exports are grouped by domain, one block per file, so parallel additions merge cleanly.
 */

export { type AskDisplay, type AskLike, askDisplay, refusedAnswerNotice } from "./ask-display";
// Messages the bot sends (produced by the engine, carried unchanged by every channel).
export { type Citation, citationSchema } from "./citation";
// The conversation API (REST and widget).
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
  csatSchema,
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
// The event stream (outbox relay, Kafka topics): one schema per topic, with its JSON Schema.
export {
  type AnalyticsStreamEvent,
  analyticsEventSchema,
  type ConversationAssignment,
  type ConversationStreamEvent,
  conversationAssignmentSchema,
  conversationEventSchema,
  conversationEventTypeSchema,
  DEAD_LETTER_TOPIC,
  type DeadLetterEvent,
  deadLetterEventSchema,
  EVENT_SCHEMA_BASE,
  EVENT_TOPICS,
  type EventTopic,
  eventJsonSchemaText,
  eventSchemas,
  type IntegrationStreamEvent,
  integrationEventSchema,
  type MessageInboundEvent,
  type MessageOutboundEvent,
  messageInboundEventSchema,
  messageOutboundEventSchema,
  type StreamEventOf,
} from "./events";
// Request headers a flow may not set (the platform frames requests; integrations own credentials).
export { forbiddenHeaderReason, type HttpHeaderContext } from "./http-headers";
// Validation bounds of client-supplied JSON.
export { type JsonBounds, jsonBoundsProblem, jsonDepthProblem } from "./json-bounds";
// Management API: access (permissions, roles, API key scopes).
export {
  type ApiKeyScope,
  apiKeyScopeSchema,
  grantablePermissionSchema,
  type Permission,
  permissionSchema,
  type Role,
  roleSchema,
} from "./management/access";
// Management API: accounts, audit log, members.
export {
  MIN_PASSWORD_LENGTH,
  mfaChallengeTokenSchema,
  mfaCodeSchema,
  passwordSchema,
  type RequireMfaSetting,
  requireMfaSettingSchema,
} from "./management/accounts";
// Management API: analytics (summaries, node drop-off, time series, costs).
export {
  type AnalyticsBreakdownRow,
  type AnalyticsMetric,
  type AnalyticsRangeQuery,
  type AnalyticsSummary,
  abandonmentTimeoutMinutesSchema,
  analyticsBreakdownRowSchema,
  analyticsMetricSchema,
  analyticsRangeQuerySchema,
  analyticsSummarySchema,
  type CostRow,
  type Costs,
  type CostsQuery,
  costRowSchema,
  costsQuerySchema,
  costsSchema,
  DEFAULT_ABANDONMENT_TIMEOUT_MINUTES,
  edgeAnalyticsRowSchema,
  type NodeAnalytics,
  type NodeAnalyticsQuery,
  type NodeAnalyticsRow,
  nodeAnalyticsQuerySchema,
  nodeAnalyticsRowSchema,
  nodeAnalyticsSchema,
  type Timeseries,
  type TimeseriesQuery,
  timeseriesQuerySchema,
  timeseriesSchema,
  type WorkspaceAnalyticsSummary,
  workspaceAnalyticsSummarySchema,
} from "./management/analytics";
// Management API: API keys.
export {
  type ApiKeyView,
  apiKeyViewSchema,
  type CreatedApiKey,
  createApiKeyInputSchema,
  createdApiKeySchema,
} from "./management/api-keys";
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
// Management API: bots.
export {
  archivedFilterSchema,
  type BotSummary,
  type BotView,
  botSummarySchema,
  botViewSchema,
  createBotInputSchema,
  deleteInputSchema,
  deleteQuerySchema,
  duplicateBotInputSchema,
  listBotsQuerySchema,
  originSchema,
  updateBotInputSchema,
} from "./management/bots";
// Channels: WhatsApp, Messenger and Teams credentials/settings, WhatsApp template sends.
export {
  DEFAULT_BOT_FRAMEWORK_OPENID_METADATA_URL,
  DEFAULT_BOT_FRAMEWORK_TOKEN_URL,
  DEFAULT_GRAPH_API_URL,
  graphApiUrlSchema,
  type MessengerCredentials,
  type MessengerSettings,
  messengerCredentialsSchema,
  messengerSettingsSchema,
  type TeamsCredentials,
  type TeamsSettings,
  teamsCredentialsSchema,
  teamsSettingsSchema,
  teamsTokenUrl,
  type WhatsAppCredentials,
  type WhatsAppSettings,
  type WhatsAppTemplateSendInput,
  type WhatsAppTemplateSendResult,
  whatsappCredentialsSchema,
  whatsappSettingsSchema,
  whatsappTemplateSendInputSchema,
  whatsappTemplateSendResultSchema,
} from "./management/channel-platforms";
// Management API: messaging channels (Slack, Telegram, WhatsApp, Messenger, Teams).
export {
  type ChannelTestMessageInput,
  type ChannelTestMessageResult,
  type ChannelType,
  type ChannelView,
  type CreateChannelInput,
  channelIdParamsSchema,
  channelStatusSchema,
  channelTestMessageInputSchema,
  channelTestMessageResultSchema,
  channelTypeSchema,
  channelViewSchema,
  createChannelInputSchema,
  type UpdateChannelInput,
  updateChannelInputSchema,
} from "./management/channels";
// Connector catalogue (declarative connector definitions) and bot triggers.
export * from "./management/connectors";
// Management API: contacts (profiles, merge, GDPR export and erasure).
export {
  type ContactDetail,
  type ContactErasure,
  type ContactExport,
  type ContactView,
  contactDetailSchema,
  contactErasureSchema,
  contactExportSchema,
  contactIdentitySchema,
  contactIdParamsSchema,
  contactPageSchema,
  contactViewSchema,
  listContactsQuerySchema,
  mergeContactsInputSchema,
  updateContactInputSchema,
} from "./management/contacts";
// Management API: conversation lists and hand-back.
export {
  type ConversationPage,
  type ConversationState,
  type ConversationSummary,
  conversationPageSchema,
  conversationStateSchema,
  conversationSummarySchema,
  handBackRequestSchema,
  listConversationsQuerySchema,
  type ResultsPage,
  resultRowSchema,
  resultsPageSchema,
  resultsQuerySchema,
} from "./management/conversations";
// Management API: A/B experiments.
export {
  type CreatedExperiment,
  type CreateExperimentInput,
  createdExperimentSchema,
  createExperimentInputSchema,
  type ExperimentGoal,
  type ExperimentResults,
  type ExperimentStatus,
  type ExperimentVariant,
  type ExperimentView,
  experimentGoalSchema,
  experimentResultsSchema,
  experimentStatusSchema,
  experimentVariantKeySchema,
  experimentVariantSchema,
  experimentViewSchema,
  type PromotedExperiment,
  type PromoteExperimentInput,
  promotedExperimentSchema,
  promoteExperimentInputSchema,
  type UpdateExperimentInput,
  updateExperimentInputSchema,
  type VariantResult,
  variantResultSchema,
} from "./management/experiments";
// Management API: flows.
export {
  createFlowInputSchema,
  duplicateFlowInputSchema,
  type FlowValidation,
  type FlowVersionView,
  type FlowView,
  flowProblemViewSchema,
  flowValidationSchema,
  flowVersionViewSchema,
  flowViewSchema,
  importFlowBodySchema,
  listFlowsQuerySchema,
  type PublishFlowInput,
  publishFlowInputSchema,
  saveFlowDraftInputSchema,
  updateFlowInputSchema,
} from "./management/flows";
// Management API: visitor identity verification.
export {
  type IdentitySecretResponse,
  type IdentityTokenClaims,
  type IdentityVerificationStatus,
  identitySecretResponseSchema,
  identityTokenClaimsSchema,
  identityVerificationStatusSchema,
} from "./management/identity";
// Live agent inbox: takeover, assignment, notes, CSAT, push events, presence.
export {
  agentBotAccessSchema,
  agentPresenceListSchema,
  assignRequestSchema,
  type ConversationEvent,
  type ConversationSummaryInsight,
  type CsatRequest,
  conversationEventMessageSchema,
  conversationEventSchemas,
  conversationEventsQuerySchema,
  conversationSummaryInsightSchema,
  createNoteRequestSchema,
  csatRequestSchema,
  type HandoffPriority,
  handoffPrioritySchema,
  type InboxItem,
  type InboxNote,
  type InboxState,
  inboxItemSchema,
  inboxListSchema,
  inboxNoteListSchema,
  inboxNoteSchema,
  inboxQuerySchema,
  inboxStateSchema,
  markReadRequestSchema,
  presenceStatusSchema,
  setPresenceRequestSchema,
  type TakeoverRequest,
  takeoverRequestSchema,
  transferRequestSchema,
  typingRequestSchema,
} from "./management/inbox";
export {
  type IntegrationTestResult,
  type IntegrationUsage,
  integrationTestInputSchema,
  integrationTestResultSchema,
  integrationUsageQuerySchema,
  integrationUsageSchema,
  oauthAuthorizeInputSchema,
  oauthAuthorizeResultSchema,
  oauthCallbackInputSchema,
} from "./management/integration-tools";
// Management API: integrations.
export {
  type BreakerState,
  breakerStateSchema,
  type CreateIntegrationRequest,
  connectorCredentialsSchema,
  createIntegrationInputSchema,
  createIntegrationRequestSchema,
  hmacAlgorithms,
  type IntegrationAuthStatus,
  type IntegrationCredentials,
  type IntegrationCredentialType,
  type IntegrationSettings,
  type IntegrationView,
  integrationAuthStatusSchema,
  integrationConfigSchema,
  integrationCredentialsSchema,
  integrationCredentialsViewSchema,
  integrationCredentialTypes,
  integrationMockSchema,
  integrationSettingsSchema,
  integrationViewSchema,
  updateIntegrationInputSchema,
} from "./management/integrations";
// Management API: knowledge
export {
  KNOWLEDGE_MEDIA_TYPES,
  type KnowledgeDocumentsInput,
  type KnowledgeDocumentView,
  type KnowledgeFileUpload,
  type KnowledgeFormat,
  type KnowledgeSearchInput,
  knowledgeDocumentsInputSchema,
  knowledgeDocumentsResultSchema,
  knowledgeDocumentViewSchema,
  knowledgeFileUploadSchema,
  knowledgeFormatSchema,
  knowledgeMediaTypeSchema,
  knowledgeSearchInputSchema,
  knowledgeSearchResultSchema,
  knowledgeStatusSchema,
  knowledgeUploadResultSchema,
  knowledgeUrlListSchema,
  knowledgeUrlResultSchema,
  MAX_KNOWLEDGE_UPLOAD_BYTES,
  retrievedChunkSchema,
} from "./management/knowledge";
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
// Management API: model settings
export {
  attemptViewSchema,
  type BotModelStatus,
  type BotRouting,
  botModelStatusQuerySchema,
  botModelStatusSchema,
  botRoutingViewSchema,
  budgetViewSchema,
  createBudgetInputSchema,
  createProviderInputSchema,
  createRouteInputSchema,
  type ModelPrice,
  type ModelUse,
  modelPriceSchema,
  modelUseSchema,
  type ProviderKind,
  type ProviderOptions,
  type ProviderView,
  priceTableViewSchema,
  priceViewSchema,
  providerBaseUrlSchema,
  providerKindSchema,
  providerNameSchema,
  providerOptionsSchema,
  providerViewSchema,
  putPriceInputSchema,
  type RouteOverride,
  type RoutePolicy,
  type RoutePolicyInput,
  type RouteTarget,
  type RouteView,
  routeOverrideSchema,
  routePolicySchema,
  routeTargetSchema,
  routeViewSchema,
  routingViewSchema,
  type SaveProviderInput,
  saveBotRoutingSchema,
  saveBudgetSchema,
  saveProviderSchema,
  saveRouteSchema,
  saveTenantRoutingSchema,
  type TenantRouting,
  type TryPromptInput,
  tryPromptInputSchema,
  tryPromptResultSchema,
  tryRouteInputSchema,
  type UpdateBudgetInput,
  type UpdateProviderInput,
  type UpdateRouteInput,
  updateBudgetInputSchema,
  updateProviderInputSchema,
  updateRouteInputSchema,
} from "./management/models";
// Management API: path parameters.
export {
  apiKeyIdParamsSchema,
  botIdParamsSchema,
  conversationIdParamsSchema,
  flowIdParamsSchema,
  idParamsSchema,
  integrationIdParamsSchema,
  webhookIdParamsSchema,
} from "./management/params";
export * from "./management/triggers";
// Management API: flow versions.
export {
  type FlowVersionDetail,
  flowVersionDetailSchema,
  flowVersionParamsSchema,
  rollbackFlowBodySchema,
  rollbackFlowInputSchema,
  versionNumberSchema,
} from "./management/versions";
// Management API: webhooks.
export {
  type CreatedWebhook,
  createdWebhookSchema,
  createWebhookInputSchema,
  type WebhookEventType,
  type WebhookView,
  webhookEventTypeSchema,
  webhookViewSchema,
} from "./management/webhooks";
export {
  type AskInput,
  askInputSchema,
  cardButtonSchema,
  type OutgoingMessage,
  outgoingMessageSchema,
  type ReplyOption,
  replyOptionSchema,
} from "./messages";
export { type FieldProblem, fieldProblemSchema, type Problem, problemSchema } from "./problem";
// Server-sent events of a streamed turn.
export { type StreamEvent, type StreamEventName, type StreamToken, streamEventSchemas } from "./stream";
// Readable field problems of a failed parse (unions read as their closest alternative).
export {
  closestIssues,
  fieldProblems,
  type ParseIssue,
} from "./validation-issues";
// The widget's configuration.
export {
  sanitizeWidgetTheme,
  type WidgetConfig,
  type WidgetTheme,
  widgetConfigSchema,
  widgetThemeSchema,
} from "./widget";
