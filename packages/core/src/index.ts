/**
 * Public entry of @parley/core: the service layer the runtime's REST API and the studio's tRPC API
 * share. Every function takes a {@link ServiceContext} (tenant, actor, dependencies), checks the
 * actor's permission, validates its input with zod and records mutations in the audit log.
 *
 * ```ts
 * const ctx: ServiceContext = { deps, tenantId, actor: { type: "user", userId, role: "owner", label: email } };
 * const bot = await createBot(ctx, { name: "Pizza" });
 * const flow = await createFlow(ctx, { botId: bot.id, document });
 * await publishFlow(ctx, flow.id, { note: "first" });
 * ```
 */

/*
 * Wire schemas that lived here before they moved to @parley/contract (their one home). Re-exported
 * so branches written against the old names keep compiling; new code imports them from contract.
 */
export {
  type ApiKeyView,
  apiKeyViewSchema,
  type BotView,
  botViewSchema,
  type ConversationPage,
  conversationPageSchema,
  conversationSummarySchema,
  createApiKeyInputSchema,
  createBotInputSchema,
  createFlowInputSchema,
  createIntegrationInputSchema,
  createWebhookInputSchema,
  type FlowValidation,
  type FlowVersionDetail,
  type FlowVersionView,
  type FlowView,
  flowValidationSchema,
  flowVersionDetailSchema,
  flowVersionViewSchema,
  flowViewSchema,
  type IntegrationCredentials,
  type IntegrationView,
  integrationConfigSchema,
  integrationCredentialsSchema,
  integrationViewSchema,
  listConversationsQuerySchema,
  originSchema,
  rollbackFlowInputSchema,
  saveFlowDraftInputSchema,
  updateBotInputSchema,
  updateIntegrationInputSchema,
  type WebhookEventType,
  type WebhookView,
  webhookEventTypeSchema,
  webhookViewSchema,
} from "@parley/contract";
// Access
export { allPermissions, type Permission, permissionSchema } from "./access/permissions";
export { canAssignRole, type Role, roleAllows, rolePermissions, roleSchema } from "./access/roles";
export { API_KEY_SCOPES, type ApiKeyScope, apiKeyScopeSchema, scopesAllow } from "./access/scopes";
// Accounts: sign-up, sign-in, sessions, password reset, invitation acceptance, workspaces
export {
  acceptInvitation,
  describeInvitation,
  type InvitationPreview,
} from "./accounts/invitation-acceptance";
export type { Mailer, OutgoingMail } from "./accounts/mailer";
export {
  assertMfaSatisfied,
  confirmMfaEnrolment,
  disableMfa,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  MFA_CHALLENGE_TTL_MS,
  type MfaEnrolment,
  type MfaStatus,
  mfaEnrolmentRequired,
  mfaStatus,
  RECOVERY_CODE_COUNT,
  regenerateRecoveryCodes,
  setWorkspaceMfaRequirement,
  startMfaEnrolment,
  TOTP_PERIOD_SECONDS,
  workspaceMfaSetting,
} from "./accounts/mfa";
export { RESET_TTL_MS, requestPasswordReset, resetPassword } from "./accounts/password-reset";
export { type RequestFacts, requestFactsOf } from "./accounts/request-facts";
export {
  type AccountSession,
  createSession,
  resolveSession,
  revokeSession,
  SESSION_TTL_MS,
  setActiveTenant,
} from "./accounts/sessions";
export {
  defaultTenantOf,
  recordSignOut,
  type SignInResult,
  signIn,
  signInWithSecondFactor,
} from "./accounts/sign-in";
export { SIGN_IN_ACCOUNT_BACKOFF, SIGN_IN_ADDRESS_BACKOFF } from "./accounts/sign-in-throttle";
export { confirmSignUp, SIGN_UP_TTL_MS, signUp, signUpInputSchema } from "./accounts/sign-up";
export {
  type AccountWorkspaces,
  accountWorkspaces,
  createOwnedWorkspace,
  switchWorkspace,
  type WorkspaceMembership,
} from "./accounts/workspaces";
// Analytics: summaries, node drop-off, time series, costs, rollups, retention, GDPR erase hook.
export {
  abandonmentTimeoutOf,
  DEFAULT_RETENTION_DAYS,
  enableTimescaleIfPresent,
  eraseAnalyticsPersonalData,
  getBotAnalyticsSummary,
  getBotTimeseries,
  getFlowNodeAnalytics,
  getLlmCosts,
  getWorkspaceAnalyticsSummary,
  NON_PERSONAL_EVENT_PROPERTIES,
  ROLLUP_SETTLE_MS,
  type RollupOutcome,
  rollUpTenant,
  runAnalyticsMaintenance,
  summaryToCsv,
  type TimescaleStatus,
  timeseriesToCsv,
} from "./analytics/index";
export { addressInRanges, addressRangeSchema } from "./api-keys/address-ranges";
// API keys and authentication
export {
  type Authentication,
  authenticateKey,
  createApiKey,
  type KeyPresentation,
  listApiKeys,
  revokeApiKey,
} from "./api-keys/api-keys";
export {
  type AccountAuditAction,
  type AccountAuditEvent,
  type AuditRecord,
  recordAccountAudit,
  recordAudit,
} from "./audit";
// Audit log reads
export {
  AUDIT_CSV_MAX_ROWS,
  exportAuditCsv,
  listAuditEntries,
  streamAuditCsv,
} from "./audit/audit-log";
export { csvField } from "./audit/csv";
export { redactSecrets } from "./audit/redaction";
// Bots
export { archiveBot, createBot, getBot, listBots, rotatePublishableKey, updateBot } from "./bots/bots";
export {
  generateIdentitySecret,
  IDENTITY_SECRET_PREFIX,
  identityVerificationStatus,
} from "./bots/identity-secret";
export { deleteBot, duplicateBot, getBotSummary, restoreBot } from "./bots/manage";
export { recordRefusedOrigin } from "./bots/refused-origin";
export { getWidgetConfig } from "./bots/widget-config";
// Messaging channels (Slack, Telegram, WhatsApp, Messenger, Teams)
export * from "./channels";
// Connector catalogue: declarative connector definitions, integrations from connectors
export {
  buildCatalogue,
  connectorCatalogue,
  getConnector,
  listConnectors,
  shippedConnectorDefinitions,
} from "./connectors/catalogue";
export { ConnectorDefinitionError, loadConnectorDefinition } from "./connectors/definition-loader";
// Contacts: profiles, merge, GDPR export and erasure
export { getContact, listContacts, updateContact } from "./contacts/contacts";
export { eraseContact } from "./contacts/erase";
export { exportContact } from "./contacts/export";
export { mergeContacts } from "./contacts/merge";
// Context and errors
export {
  type Actor,
  actorCan,
  authorize,
  type CoreDeps,
  type ServiceContext,
  systemContext,
  type TurnObserver,
} from "./context";
// Conversation browsing: results table and its CSV/XLSX export (the list itself is exported above)
export {
  exportResults,
  listResults,
  RESULTS_XLSX_MAX_ROWS,
  type ResultsExport,
  type ResultsQuery,
} from "./conversation-browser/results";
// Conversations and the turn pipeline
export {
  countActiveConversations,
  endConversation,
  fireTimer,
  getConversation,
  listConversations,
  recoverPendingTimers,
  resolveHandoff,
  sendMessage,
  startConversation,
  TIMER_QUEUE,
  type TurnCallOptions,
  timerJobSchema,
} from "./conversations/conversations";
export { guardedHttpPort, portsFor as turnPorts } from "./conversations/ports";
export { type FieldIssue, ServiceError, type ServiceErrorKind } from "./errors";
// The event stream's in-process consumers (the outbox relay feeds them in every mode)
export { ANALYTICS_ROLLUP_GROUP, type CoreStreamConsumers, subscribeCoreConsumers } from "./events/consumers";
export { stepStreamEvents } from "./events/stream-events";
// A/B experiments
export {
  createExperiment,
  experimentResults,
  getExperiment,
  listExperiments,
  promoteExperimentVariant,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from "./experiments/experiments";
// Flows
export {
  createFlow,
  exportFlow,
  getFlow,
  listFlows,
  listFlowVersions,
  publishFlow,
  saveFlowDraft,
  validateFlow,
  validateFlowDocument,
} from "./flows/flows";
export { archiveFlow, deleteFlow, duplicateFlow, restoreFlow, updateFlow } from "./flows/manage";
export { getFlowVersion, rollbackFlow } from "./flows/versions";
// Live agent inbox: takeover, assignment, notes, typing, CSAT, queue, presence, event stream
export * from "./inbox";
export { asServiceError } from "./infrastructure-errors";
export { type IntegrationCall, integrationHttpPort } from "./integrations/integration-http";
export { testIntegration } from "./integrations/integration-sandbox";
export { integrationUsage } from "./integrations/integration-usage";
// Integrations (credentials for http nodes)
export {
  createIntegration,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  updateIntegration,
} from "./integrations/integrations";
export { completeOAuthConnect, startOAuthConnect } from "./integrations/oauth2-connect";
export { tokenRequestCounter } from "./integrations/oauth2-tokens";
// Knowledge base documents (indexed through the `knowledge` job queue)
export {
  addKnowledgeDocuments,
  addKnowledgeUrls,
  deleteKnowledgeDocument,
  enqueueKnowledgeIndexing,
  enqueuePendingKnowledge,
  indexKnowledgeDocument,
  KNOWLEDGE_QUEUE,
  type KnowledgeFile,
  type KnowledgeUploadResult,
  type KnowledgeUrlResult,
  knowledgeFormatOf,
  knowledgeJobSchema,
  listKnowledgeDocuments,
  searchKnowledge,
  uploadKnowledgeDocument,
  uploadKnowledgeFile,
} from "./knowledge";
// Members and invitations
export { INVITATION_TTL_MS, inviteMember, listInvitations, revokeInvitation } from "./members/invitations";
export { changeMemberRole, listMembers, removeMember } from "./members/members";
export { managingRole } from "./members/role-guard";
// Model settings (providers, routes, budgets, prices, routing, try it)
export {
  botModelStatus,
  createModelBudget,
  createModelProvider,
  createModelRoute,
  deleteModelBudget,
  deleteModelPrice,
  deleteModelProvider,
  deleteModelRoute,
  getBotModelRouting,
  getModelPrices,
  getModelRouting,
  getTenantModelRouting,
  listModelBudgets,
  listModelProviders,
  listModelRoutes,
  type ModelChoices,
  type ModelRoutingView,
  modelChoices,
  type PriceView,
  saveBotModelRouting,
  saveModelBudget,
  saveModelPrice,
  saveModelProvider,
  saveModelRoute,
  saveTenantModelRouting,
  toServiceError,
  tryModelPrompt,
  tryModelRoute,
  updateModelBudget,
  updateModelProvider,
  updateModelRoute,
  withModelErrors,
} from "./model-settings";
export { recoverScheduledWork } from "./scheduled-work";
// Tenants and users
export { renameTenant } from "./tenants/rename";
export {
  createTenant,
  createTenantInputSchema,
  createUser,
  createUserInputSchema,
  membershipRole,
  type TenantView,
  type UserView,
} from "./tenants/tenants";
// Test chat
export {
  runTestTurn,
  type TestTurnEvent,
  type TestTurnInput,
  type TestTurnResult,
  testTurnInputSchema,
} from "./test-chat";
// Transcripts in MongoDB (MONGODB_URL): the copy of committed steps and the sweep behind it.
export {
  enqueueTranscriptSync,
  runTranscriptJob,
  SWEEP_SETTLE_MS,
  sweepTranscripts,
  syncConversation,
  TRANSCRIPT_QUEUE,
  type TranscriptJob,
} from "./transcripts/transcript-mirror";
export {
  fireSignedTrigger,
  generateTriggerSecret,
  signTriggerRequest,
  TRIGGER_SIGNATURE_HEADER,
} from "./triggers/trigger-secret";
// Triggers: proactive conversations started by an inbound request
export { createTrigger, deleteTrigger, fireTrigger, listTriggers, updateTrigger } from "./triggers/triggers";
export { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from "./webhooks/signature";
export {
  WEBHOOK_GROUP,
  WEBHOOK_TOPICS,
  type WebhookEventOf,
  webhookDeliveryHandler,
  webhookEventOf,
} from "./webhooks/webhook-consumer";
// Webhooks
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  deliverWebhook,
  enqueueWebhookDeliveries,
  listWebhookEndpoints,
  recoverWebhookDeliveries,
  WEBHOOK_QUEUE,
  webhookJobSchema,
} from "./webhooks/webhooks";
