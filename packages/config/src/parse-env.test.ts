import { describe, expect, it } from "vitest";
import { z } from "zod";
import { coreEnvSchema } from "./core-env";
import { portField, postgresUrlField, sharedEnvShape } from "./fields";
import { ConfigError, parseEnv } from "./parse-env";

describe("parseEnv", () => {
  const schema = z.object({ ...sharedEnvShape, RUNTIME_PORT: portField(4000) });

  it("applies defaults and coerces numbers", () => {
    const env = parseEnv(schema, { RUNTIME_PORT: "4100" });
    expect(env.RUNTIME_PORT).toBe(4100);
    expect(env.PARLEY_DATA_DIR).toBe(".parley");
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv(schema, { DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names every bad variable and what it expects", () => {
    const run = () =>
      parseEnv(schema, { RUNTIME_PORT: "70000", DATABASE_URL: "mysql://x", REDIS_URL: "nope" });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain("RUNTIME_PORT");
      expect(message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// connection URL");
      expect(message).toContain("REDIS_URL: must be a redis:// or rediss:// connection URL");
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it("accepts a MongoDB connection string for transcripts and names a bad one", () => {
    const url = "mongodb+srv://parley:secret@cluster0.example.net/parley?retryWrites=true";
    expect(parseEnv(schema, { MONGODB_URL: url }).MONGODB_URL).toBe(url);
    expect(parseEnv(schema, {}).MONGODB_URL).toBeUndefined();
    expect(() => parseEnv(schema, { MONGODB_URL: "http://mongo:27017" })).toThrow(
      "MONGODB_URL: must be a mongodb:// or mongodb+srv:// connection URL",
    );
  });

  it("bounds the hot conversation cache: a TTL and an entry size, validated at start-up", () => {
    const defaults = parseEnv(coreEnvSchema, {});
    expect(defaults.PARLEY_HOT_CACHE_TTL_SECONDS).toBe(900);
    expect(defaults.PARLEY_HOT_CACHE_MAX_ENTRY_BYTES).toBe(65_536);
    expect(parseEnv(coreEnvSchema, { PARLEY_HOT_CACHE_TTL_SECONDS: "60" }).PARLEY_HOT_CACHE_TTL_SECONDS).toBe(
      60,
    );
    expect(() => parseEnv(coreEnvSchema, { PARLEY_HOT_CACHE_TTL_SECONDS: "0" })).toThrow(
      /PARLEY_HOT_CACHE_TTL_SECONDS: must be at least 1 second/,
    );
    expect(() => parseEnv(coreEnvSchema, { PARLEY_HOT_CACHE_TTL_SECONDS: "1.5" })).toThrow(
      /PARLEY_HOT_CACHE_TTL_SECONDS: must be a whole number of seconds/,
    );
    expect(() => parseEnv(coreEnvSchema, { PARLEY_HOT_CACHE_MAX_ENTRY_BYTES: "10" })).toThrow(
      /PARLEY_HOT_CACHE_MAX_ENTRY_BYTES/,
    );
  });

  it("bounds what Postgres keeps of a transcript with MongoDB: never fewer than the turn reads", () => {
    expect(parseEnv(coreEnvSchema, {}).PARLEY_TRANSCRIPT_HOT_MESSAGES).toBe(100);
    expect(
      parseEnv(coreEnvSchema, { PARLEY_TRANSCRIPT_HOT_MESSAGES: "500" }).PARLEY_TRANSCRIPT_HOT_MESSAGES,
    ).toBe(500);
    expect(() => parseEnv(coreEnvSchema, { PARLEY_TRANSCRIPT_HOT_MESSAGES: "20" })).toThrow(
      /PARLEY_TRANSCRIPT_HOT_MESSAGES: must be at least 40/,
    );
    expect(() => parseEnv(coreEnvSchema, { PARLEY_TRANSCRIPT_HOT_MESSAGES: "50.5" })).toThrow(
      /PARLEY_TRANSCRIPT_HOT_MESSAGES: must be a whole number/,
    );
  });

  it("says when a required variable is missing", () => {
    const required = z.object({ DATABASE_URL: postgresUrlField });
    expect(() => parseEnv(required, {})).toThrow(/DATABASE_URL: .*\(it is not set\)/);
  });
});

describe("the core environment", () => {
  it("reads the model providers and the outbound allowlist", () => {
    const env = parseEnv(coreEnvSchema, {
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      PARLEY_OUTBOUND_ALLOWED_HOSTS: "ollama.internal:11434, 10.0.0.0/8 [::1]:8000",
    });
    expect(env.OPENAI_API_KEY).toBe("sk-test");
    expect(env.PARLEY_OUTBOUND_ALLOWED_HOSTS).toEqual(["ollama.internal:11434", "10.0.0.0/8", "[::1]:8000"]);
    expect(parseEnv(coreEnvSchema, {}).PARLEY_OUTBOUND_ALLOWED_HOSTS).toEqual([]);
  });

  it("names the variable of a bad provider URL or allowlist entry", () => {
    expect(() => parseEnv(coreEnvSchema, { ANTHROPIC_BASE_URL: "not a url" })).toThrow(/ANTHROPIC_BASE_URL/);
    expect(() => parseEnv(coreEnvSchema, { PARLEY_OUTBOUND_ALLOWED_HOSTS: "http://ollama:11434" })).toThrow(
      /PARLEY_OUTBOUND_ALLOWED_HOSTS\.0: an allowed host is/,
    );
  });

  it("parses KAFKA_BROKERS into host:port entries and names a bad one", () => {
    const schema = z.object(sharedEnvShape);
    expect(parseEnv(schema, {}).KAFKA_BROKERS).toEqual([]);
    expect(
      parseEnv(schema, { KAFKA_BROKERS: "kafka-1:9092, kafka-2:9092 [::1]:9093" }).KAFKA_BROKERS,
    ).toEqual(["kafka-1:9092", "kafka-2:9092", "[::1]:9093"]);
    expect(() => parseEnv(schema, { KAFKA_BROKERS: "kafka-1" })).toThrow(/KAFKA_BROKERS.*host:port/);
    expect(parseEnv(schema, { KAFKA_SSL: "true" }).KAFKA_SSL).toBe(true);
  });
});
