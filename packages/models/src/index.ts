/**
 * Public entry of @parley/models: the model orchestrator (providers through their official
 * clients, routes with fallback/cost/latency strategies, circuit breakers, retries honouring
 * Retry-After, timeouts, streaming, response cache, budgets, costs, PII masking, accounting) and
 * the knowledge base (ingest, chunk, full-text index, retrieve, grounded answers with citations).
 *
 * ```ts
 * // A host process (runtime): everything wired over the platform database, once per process.
 * const models = createModelEnginePorts({ db, vault, cache: infra.cache, http });
 * const deps: CoreDeps = { db, infra, vault, http, enginePorts: models.enginePorts };
 * // Or piece by piece:
 * const orchestrator = new ModelOrchestrator({ configSource, cache, budgets, analytics });
 * const llm = orchestrator.llmPort({ tenantId, botId, conversationId, knownNames });      // engine LlmPort
 * const kb = new KnowledgeBase({ store: new PostgresKnowledgeStore(db), orchestrator, fetcher });
 * const knowledge = kb.knowledgePort({ tenantId, botId, conversationId });              // engine KnowledgePort
 * ```
 *
 * Everything not exported here is internal. Test helpers (fake provider servers, PDF fixture)
 * are under `@parley/models/testing`.
 */

// Accounting: budgets, prices, call records, analytics events
export {
  type Budget,
  type BudgetInput,
  type BudgetStore,
  budgetSchema,
  currentPeriod,
  MemoryBudgetStore,
  periodOf,
} from "./accounting/budget";
export {
  type AnalyticsEventInput,
  type AnalyticsSink,
  type AttemptOutcome,
  type AttemptRecord,
  type CallOutcome,
  MemoryAnalyticsSink,
  MODEL_EVENT_TYPES,
  type ModelCallRecord,
} from "./accounting/call-record";
export {
  type CallCost,
  DEFAULT_PRICES,
  type ModelPrice,
  modelPriceSchema,
  PriceTable,
} from "./accounting/price-table";
// Studio service functions
export {
  createDatabaseModelConfig,
  ModelAdmin,
  ModelAdminError,
  type ModelAdminOptions,
  type ProviderSummary,
  saveBudgetSchema,
  saveEmbeddingsSchema,
  saveProviderSchema,
  saveRouteSchema,
  type TryPromptResult,
} from "./admin/model-admin";
export {
  type BotRouting,
  botRoutingIssues,
  type RouteOverride,
  type RoutingIssue,
  type RoutingNames,
  routeOverrideSchema,
  saveBotRoutingSchema,
  saveTenantRoutingSchema,
  type TenantRouting,
  tenantRoutingIssues,
} from "./admin/routing-preferences";
// Configuration
export { ENVIRONMENT_ROUTE, environmentModelConfig, withEnvironmentDefaults } from "./config/environment";
export {
  type BotModelSettings,
  botModelSettingsSchema,
  type EmbeddingSettings,
  embeddingSettingsSchema,
  type ModelConfigSource,
  staticConfigSource,
  type TenantModelConfig,
  type TenantModelConfigInput,
  tenantModelConfigSchema,
} from "./config/tenant-model-config";
// Host wiring (CoreDeps.enginePorts)
export {
  createModelEnginePorts,
  type EnginePortScope,
  type ModelEnginePortsOptions,
  type ModelEngineServices,
} from "./engine-ports/create-model-engine-ports";
export {
  AllModelsFailedError,
  BudgetExceededError,
  RouteNotFoundError,
  StreamInterruptedError,
} from "./errors";
// Knowledge base
export { type ChunkOptions, chunkSections, type TextChunk } from "./knowledge/chunk-text";
export { citationOf } from "./knowledge/citation";
export {
  DocumentExtractionError,
  type DocumentFormat,
  documentFormatSchema,
  type ExtractedDocument,
  extractDocumentText,
  type TextSection,
} from "./knowledge/extract-text";
export { NO_ANSWER } from "./knowledge/grounded-prompt";
export { guardedUrlFetcher } from "./knowledge/guarded-url-fetcher";
export { mergeHybrid, similarityScore, type VectorHit } from "./knowledge/hybrid-ranking";
export {
  type DocumentUpload,
  documentUploadSchema,
  formatFor,
  type IngestResult,
  type KnowledgeAnswerDetails,
  KnowledgeBase,
  type KnowledgeBaseOptions,
  type KnowledgeContext,
  type UrlIngestResult,
} from "./knowledge/knowledge-base";
export {
  type ChunkEmbeddings,
  type KnowledgeDocumentInfo,
  type KnowledgeDocumentStatus,
  type KnowledgeSearchOptions,
  type KnowledgeSourceKind,
  type KnowledgeStore,
  knowledgeSourceSchema,
  type NewKnowledgeChunk,
  type NewKnowledgeDocument,
  type QueryEmbedding,
  type RetrievedChunk,
  textSearchConfigFor,
} from "./knowledge/knowledge-store";
export { MemoryKnowledgeStore } from "./knowledge/memory-knowledge-store";
export { ensureKnowledgeVectors, type VectorSupport } from "./knowledge/pgvector-setup";
export {
  PostgresKnowledgeStore,
  type PostgresKnowledgeStoreOptions,
} from "./knowledge/postgres-knowledge-store";
export type { FetchedDocument, UrlFetcher } from "./knowledge/url-fetcher";
// Orchestrator
export {
  type CallContext,
  describeRoute,
  type EmbeddedTexts,
  ModelOrchestrator,
  type ModelOrchestratorOptions,
  type OrchestratedResponse,
  type ProviderOutbound,
} from "./orchestrator/orchestrator";
export type { ProviderFactory } from "./orchestrator/provider-pool";
// Persistence (database-backed implementations)
export {
  type BatchingAnalyticsSink,
  type BatchingOptions,
  batchingAnalyticsSink,
} from "./persistence/batching-analytics-sink";
export { databaseAnalyticsSink } from "./persistence/database-analytics-sink";
export { type DatabaseConfigSourceOptions, databaseConfigSource } from "./persistence/database-config-source";
export { PostgresBudgetStore } from "./persistence/postgres-budget-store";
export { providerKeyBinding } from "./persistence/provider-secret";
// Privacy
export { detectPii, isValidIban, type PiiKind, type PiiMatch, passesLuhn } from "./privacy/pii-detectors";
export { PiiMasker } from "./privacy/pii-masker";
// Providers
export { createProvider, type ProviderTransport } from "./providers/create-provider";
export { createOfflineProvider, OFFLINE_MODEL } from "./providers/offline-provider";
export {
  type EmbeddingCall,
  type EmbeddingResult,
  type ModelProvider,
  type ProviderCall,
  type ProviderCallOptions,
  type ProviderKind,
  type ProviderResult,
  providerKindSchema,
  type TokenUsage,
} from "./providers/provider";
export {
  type ProviderConfig,
  type ProviderConfigInput,
  type ProviderOptions,
  providerConfigSchema,
  providerOptionsSchema,
} from "./providers/provider-config";
export { ProviderError, type ProviderFailure } from "./providers/provider-error";
// Routing
export type { BreakerState } from "./resilience/breakers";
export { type ResolvedRoute, resolveRoute } from "./routing/resolve-route";
export {
  type RoutePolicy,
  type RoutePolicyInput,
  type RouteTarget,
  routePolicySchema,
  routeTargetSchema,
} from "./routing/route-policy";
