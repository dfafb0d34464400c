import { z } from "zod";
import { mailEnvShape, sharedEnvShape } from "./fields";

const optionalText = z.string().trim().min(1).optional();
const optionalUrl = z.url().optional();

/**
 * The language-model providers the operator configures in the environment. Each provider counts
 * when its key (or base URL) is set; together they build the `default` route workspaces without
 * routes of their own answer through (the offline provider always comes last).
 */
export const modelProviderEnvShape = {
  /** OpenAI key; with `OPENAI_BASE_URL` any OpenAI-compatible server (vLLM, Ollama, ...). */
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  /** Model of the OpenAI provider (default `gpt-4o-mini`). */
  PARLEY_OPENAI_MODEL: optionalText,
  /** Azure OpenAI: key and endpoint (both needed), API version and deployment. */
  AZURE_OPENAI_API_KEY: optionalText,
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  OPENAI_API_VERSION: optionalText,
  PARLEY_AZURE_OPENAI_DEPLOYMENT: optionalText,
  /** Anthropic key, base URL and model. */
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalUrl,
  PARLEY_ANTHROPIC_MODEL: optionalText,
  /** Google Gemini key (`GEMINI_API_KEY` wins over `GOOGLE_API_KEY`), base URL and model. */
  GEMINI_API_KEY: optionalText,
  GOOGLE_API_KEY: optionalText,
  GOOGLE_GEMINI_BASE_URL: optionalUrl,
  PARLEY_GOOGLE_MODEL: optionalText,
  /** Hugging Face token, inference endpoint and model. */
  HF_TOKEN: optionalText,
  HF_INFERENCE_ENDPOINT: optionalUrl,
  PARLEY_HF_MODEL: optionalText,
  /** Embedding model of the knowledge base (with the OpenAI variables; needs pgvector). */
  PARLEY_EMBEDDING_MODEL: optionalText,
} as const;

// host, host:port, [ipv6]:port, a bare IPv6 address, or an address range (10.0.0.0/8, fd00::/8).
// The outbound client parses entries exactly; this only makes a typo fail at start-up, by name.
const ALLOWED_HOST_ENTRY =
  /^(?:[a-z0-9._-]+(?::\d{1,5})?|\[[0-9a-f:.]+\](?::\d{1,5})?|[0-9a-f:.]*:[0-9a-f:.]*|[0-9a-f:.]+\/\d{1,3})$/i;

/**
 * `PARLEY_OUTBOUND_ALLOWED_HOSTS`: comma- or space-separated destinations outbound calls made for a
 * workspace may reach although they are private or loopback (a self-hosted model server). Parsed
 * to a list; empty or unset means none.
 */
export const allowedHostsField = z
  .string()
  .default("")
  .transform((value) => value.split(/[\s,]+/).filter((entry) => entry !== ""))
  .pipe(
    z.array(
      z
        .string()
        .regex(
          ALLOWED_HOST_ENTRY,
          "an allowed host is `host`, `host:port`, `[ipv6]:port` or an address range like `10.0.0.0/8`",
        ),
    ),
  );

/** Outbound HTTP made on tenants' behalf (http nodes, webhooks, tenant model endpoints). */
export const outboundEnvShape = {
  PARLEY_OUTBOUND_ALLOWED_HOSTS: allowedHostsField,
} as const;

/** Messaging channels: where platforms reach this deployment's runtime. */
export const channelsEnvShape = {
  /**
   * The runtime's public base URL: channel webhook URLs (`{base}/api/v1/channels/{id}/webhook`) are
   * built from it, in the studio and in the runtime alike.
   */
  RUNTIME_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .default("http://localhost:4000"),
} as const;

/**
 * The hot conversation cache (Redis in cluster mode, memory embedded): a conversation's live state
 * after each turn, so the next turn skips a database read. Its entries expire after this many
 * seconds without a turn, so Redis holds only the conversations active within the TTL (an idle
 * million need no entries); the memory it needs is about (turns/s x TTL) x the entry size (see
 * docs/deploy.md, Redis memory).
 */
export const hotCacheEnvShape = {
  /** Seconds an idle conversation stays in the hot cache (default 900, at most one day). */
  PARLEY_HOT_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1 second")
    .max(86_400, "must be at most 86400 seconds (one day)")
    .default(900),
  /**
   * Largest entry kept, in bytes of JSON (default 65536): a conversation whose state is bigger is
   * read from the database each turn instead, so a few huge conversations cannot fill Redis.
   */
  PARLEY_HOT_CACHE_MAX_ENTRY_BYTES: z.coerce
    .number()
    .int()
    .min(1024, "must be a number of bytes, at least 1024")
    .default(65_536),
} as const;

/**
 * The fewest messages Postgres keeps per conversation with MongoDB transcripts: the widest window a
 * turn or the inbox reads from Postgres (the inbox summary's 40 messages with text; the LLM history
 * reads 20). Core's pruning never keeps fewer, whatever the setting.
 */
export const TRANSCRIPT_HOT_MESSAGES_MIN = 40;

/** Transcripts with MongoDB (`MONGODB_URL`): what Postgres keeps of each conversation (see docs/mongodb.md). */
export const transcriptEnvShape = {
  /**
   * Messages with text Postgres keeps per conversation once copied to MongoDB (default 100, at least
   * {@link TRANSCRIPT_HOT_MESSAGES_MIN}); older ones live only in MongoDB. Without `MONGODB_URL`,
   * unused: Postgres keeps every message.
   */
  PARLEY_TRANSCRIPT_HOT_MESSAGES: z.coerce
    .number()
    .int("must be a whole number of messages")
    .min(
      TRANSCRIPT_HOT_MESSAGES_MIN,
      `must be at least ${TRANSCRIPT_HOT_MESSAGES_MIN} (the history a turn and the inbox read)`,
    )
    .max(100_000, "must be at most 100000 messages")
    .default(100),
} as const;

/**
 * What `createCoreDeps` (in `@parley/core/composition`) reads: where data lives, the secrets
 * keyring, how e-mails are sent, the model providers and the outbound allowlist and limits. Every app's schema extends it, so the
 * runtime, the studio and the CLI validate these variables the same way, once, at start-up.
 */
export const coreEnvShape = {
  ...sharedEnvShape,
  ...mailEnvShape,
  ...modelProviderEnvShape,
  ...outboundEnvShape,
  ...channelsEnvShape,
  ...hotCacheEnvShape,
  ...transcriptEnvShape,
} as const;

/** Schema of {@link coreEnvShape}. */
export const coreEnvSchema = z.object(coreEnvShape);

/** The validated variables the application layer's composition reads. */
export type CoreEnv = z.infer<typeof coreEnvSchema>;
