/**
 * Public entry of @parley/infra: cache, locks, rate limits and jobs behind small interfaces with a
 * Redis/BullMQ implementation (cluster mode) and an in-process one (embedded mode), chosen by
 * `createInfrastructure`; plus the secrets vault and token/password utilities.
 *
 * Everything not exported here is internal.
 */

// Cache
export type { Cache, CacheSetOptions } from "./cache/cache";
export { MemoryCache, type MemoryCacheOptions } from "./cache/memory-cache";
export { RedisCache } from "./cache/redis-cache";
// Event stream: the outbox relay's Kafka sink (kafkajs), when KAFKA_BROKERS is set
export {
  createKafkaSink,
  type KafkaSink,
  type KafkaSinkEvent,
  type KafkaSinkOptions,
  kafkaErrorType,
  parseKafkaBrokers,
} from "./events/kafka-sink";
// Reverse proxies whose X-Forwarded-* headers are believed (TRUSTED_PROXIES)
export {
  clientAddress,
  isTrustedPeer,
  parseTrustedProxies,
  type TrustedProxies,
  TrustedProxiesError,
  trustedProxiesField,
} from "./http/trusted-proxies";
// Factory
export {
  createInfrastructure,
  type Infrastructure,
  type InfrastructureOptions,
  infrastructureOptionsSchema,
  type PingResult,
} from "./infrastructure";
export { InfraError } from "./internal/infra-error";
export { type InfraLogger, silentLogger, stderrLogger } from "./internal/logger";
// Locks
export {
  type AcquireOptions,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  type Lock,
  type LockManager,
  LockTimeoutError,
  type WithLockOptions,
} from "./lock/lock";
export { MemoryLockManager } from "./lock/memory-lock-manager";
export { RedisLockManager } from "./lock/redis-lock-manager";
// Mail (the adapter behind core's mail port)
export {
  consoleMailer,
  type MailTransport,
  mailerFor,
  memoryMailer,
  type OutgoingMail,
  smtpMailer,
} from "./mail/mailer";
// Guarded outbound HTTP (SSRF-safe; every call made on a tenant's behalf goes through it)
export { type AddressPolicy, checkAddress } from "./outbound-http/address-policy";
export {
  ALLOWED_HOSTS_ENV,
  allowedHostsFromEnv,
  type Resolver,
} from "./outbound-http/destination-policy";
export type { GuardedFetch } from "./outbound-http/guarded-fetch";
export {
  createGuardedHttpClient,
  type GuardedHttpClient,
  type GuardedHttpClientOptions,
  guardedHttpClientOptionsSchema,
  type OutboundBytesResponse,
  type OutboundCallOptions,
  OutboundHttpError,
  type OutboundHttpErrorCode,
  type OutboundRequest,
  type OutboundResponse,
} from "./outbound-http/guarded-http-client";
export { CREDENTIAL_HEADERS, TRANSPORT_HEADERS } from "./outbound-http/request-headers";
export {
  DEFAULT_MAX_DOWNLOAD_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_DOWNLOAD_BYTES_ENV,
  MAX_RESPONSE_BYTES_ENV,
} from "./outbound-http/response-limit";
// Pub/sub between processes
export { MemoryPubSub } from "./pubsub/memory-pubsub";
export type { PubSub } from "./pubsub/pubsub";
export { RedisPubSub } from "./pubsub/redis-pubsub";
// Jobs
export { BullMqJobQueue, type BullMqJobQueueOptions } from "./queue/bullmq/bullmq-job-queue";
export { EmbeddedJobQueue, type EmbeddedJobQueueOptions } from "./queue/embedded/embedded-job-queue";
export {
  type AddJobOptions,
  addJobOptionsSchema,
  type Backoff,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  type JobContext,
  type JobCounts,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JobRef,
  type JobState,
  jobIdSchema,
  KEEP_COMPLETED,
  KEEP_FAILED,
  PermanentJobError,
  type ProcessOptions,
  QueueClosedError,
  queueNameSchema,
} from "./queue/job-queue";
// Rate limits
export {
  type AttemptBackoff,
  type AttemptBackoffOptions,
  type AttemptDecision,
  attemptBackoffOptionsSchema,
  backoffDelaySeconds,
  createAttemptBackoff,
} from "./rate-limit/attempt-backoff";
export { createRateLimiter, type RateLimitStore } from "./rate-limit/flexible-rate-limiter";
export {
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimiterOptionsSchema,
} from "./rate-limit/rate-limiter";
// Tokens and passwords
export {
  type GeneratedToken,
  generatePublishableKey,
  generateSecretApiKey,
  generateSessionToken,
  generateToken,
  hashToken,
  safeEqual,
  type TokenKind,
  tokenKindOf,
} from "./tokens/api-tokens";
export { hashPassword, passwordNeedsRehash, verifyPassword } from "./tokens/passwords";
// Tracing (OpenTelemetry over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set)
export { inSpan, traced } from "./tracing/in-span";
export { logTraceFields } from "./tracing/log-trace-fields";
export { startTracing, type Tracing, type TracingOptions } from "./tracing/start-tracing";
// Secrets vault
export { EMBEDDED_KEY_FILE, type EmbeddedKey, loadOrCreateEmbeddedKey } from "./vault/embedded-key";
export { generateKeyringEntry, type Keyring, type KeyringKey, parseKeyring } from "./vault/keyring";
export { createVault, type SecretLocation, type SecretVault, secretBinding } from "./vault/secret-vault";
export { VaultError, type VaultErrorCode } from "./vault/vault-error";
