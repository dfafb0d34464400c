/**
 * Public entry of @parley/db: the data layer.
 *
 * - `openDatabase({ url })` -> `Database` with `system` (cross-tenant) and `forTenant(id)` (scoped + RLS).
 * - `startEmbeddedPostgres({ dataDir, port })` -> PGlite served on 127.0.0.1 for the same client.
 * - `migrate`/`migrationStatus` through the `Database`, or standalone on a `pg.Pool`.
 * - Prisma types (`Prisma`, model types, enums) re-exported from the generated client.
 * Test helpers live in `@parley/db/testing`.
 */

export type {
  ChannelStore,
  DeliveryPass,
  DeliveryRecord,
  DueMessage,
  InboundOutcome,
  NewInboundEvent,
  PendingInboundEvent,
} from "./channels/channel-store";
export { isConnectionLost } from "./client/connection-lost";
export {
  type Database,
  type OpenDatabaseOptions,
  openDatabase,
  openDatabaseOptionsSchema,
  type SystemClient,
} from "./client/open-database";
export {
  CONFIG_REVISION_POLL_MS,
  type ConfigRevision,
} from "./config-revision/config-revision";
export type {
  AppendedAnalyticsEvent,
  CommitOutcome,
  ContactRef,
  ConversationStore,
} from "./conversations/conversation-store";
export type {
  NewAnalyticsEvent,
  NewMessage,
  NewOutboxEvent,
  TurnCommit,
} from "./conversations/turn-commit-sql";
/** The turn commit's statement, as the conversation store sends it (benches replay it). */
export { turnCommitStatement } from "./conversations/turn-commit-sql";
export {
  EMBEDDED_POOL_SIZE,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  embeddedPostgresOptionsSchema,
  startEmbeddedPostgres,
} from "./embedded/embedded-postgres";
export {
  DatabaseUnreachableError,
  DataDirCorruptError,
  DataDirForeignError,
  DataDirInUseError,
  MigrationChecksumError,
  MigrationFailedError,
  ParleyDbError,
  PortInUseError,
  SchemaAheadError,
  SchemaOutdatedError,
  TenantScopeError,
} from "./errors";
export type {
  AnalyticsEvent,
  ApiKey,
  AuditLogEntry,
  Bot,
  BotTrigger,
  Budget,
  ChannelConfig,
  Contact,
  ContactIdentity,
  Conversation,
  Experiment,
  Flow,
  FlowVersion,
  Integration,
  Invitation,
  KnowledgeChunk,
  KnowledgeDocument,
  Membership,
  Message,
  ModelPrice,
  ModelProvider,
  ModelRoute,
  PasswordResetToken,
  StudioSession,
  Tenant,
  User,
  WebhookDelivery,
  WebhookEndpoint,
} from "./generated/prisma/client";
export {
  $Enums,
  AuditActorType,
  BudgetAction,
  Channel,
  ConversationStatus,
  ExperimentStatus,
  FlowVersionStatus,
  KnowledgeSource,
  KnowledgeStatus,
  MemberRole,
  MessageAuthor,
  ModelProviderKind,
  Prisma,
  PrismaClient,
  WebhookDeliveryStatus,
} from "./generated/prisma/client";
export { analyzeGrownTables } from "./maintenance/analyze-grown-tables";
export { HOT_TABLES, lacksAutovacuum, vacuumHotTables } from "./maintenance/hot-tables";
export { defaultMigrationsDir, loadMigrationFiles, type MigrationFile } from "./migrations/migration-files";
export {
  type ApplyMigrationsOptions,
  applyMigrations,
  assertSchemaCurrent,
  MIGRATIONS_TABLE,
  type MigrationSource,
  type MigrationStatus,
  readMigrationStatus,
} from "./migrations/migration-runner";
export {
  OUTBOX_LEADER_LOCK,
  type OutboxEvent,
  type OutboxHandler,
  type OutboxLag,
  type OutboxRelay,
  type OutboxRelayOptions,
  type OutboxSink,
  type OutboxTx,
  type RelayPass,
  RetryLaterError,
  UNSEQUENCED_GROUP,
} from "./outbox/relay";
export {
  DEFAULT_TRANSACTION_OPTIONS,
  type TenantClient,
  type TenantTransactionOptions,
} from "./tenancy/tenant-client";
export {
  type ModelScope,
  scopeOf,
  type TenantOwnedModelProp,
  tenantOwnedModels,
} from "./tenancy/tenant-models";
export { type ContactDirectory, postgresContactDirectory } from "./transcripts/contact-directory";
export { stateOf } from "./transcripts/conversation-state";
export {
  CONVERSATIONS as MONGO_CONVERSATIONS,
  type ConversationDocument,
  MESSAGES as MONGO_MESSAGES,
  type MessageDocument,
} from "./transcripts/mongo/mongo-documents";
export { CONVERSATION_INDEXES, MESSAGE_INDEXES, SHARD_KEYS } from "./transcripts/mongo/mongo-indexes";
export {
  createMongoTranscriptStore,
  databaseNameOf,
  type MongoTranscriptStoreOptions,
  openMongoTranscriptStore,
} from "./transcripts/mongo/mongo-transcript-store";
export {
  type ConversationRow,
  selectConversations,
  toSummary,
} from "./transcripts/postgres/conversation-rows";
export {
  type PageRequest,
  SEARCH_WINDOW,
  selectConversationPage,
} from "./transcripts/postgres/conversation-search";
export { containsPattern, conversationWhere } from "./transcripts/postgres/conversation-where";
export { createPostgresTranscriptStore } from "./transcripts/postgres/postgres-transcript-store";
export type {
  ConversationFilters,
  MirrorMark,
  RemovedCounts,
  RetentionOptions,
  TranscriptConversation,
  TranscriptListPage,
  TranscriptMessage,
  TranscriptPage,
  TranscriptQuery,
  TranscriptStore,
  TranscriptSummary,
} from "./transcripts/transcript-store";
