import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { type FakeProvider, startFakeProvider } from "@parley/models/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../args";
import { askCommand } from "./ask";

const PROVIDER_VARIABLES = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_ENDPOINT",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "GEMINI_API_KEY",
  "GOOGLE_API_KEY",
  "GOOGLE_GEMINI_BASE_URL",
  "HF_TOKEN",
  "HF_INFERENCE_ENDPOINT",
];

let openai: FakeProvider;
let anthropic: FakeProvider;
const scratch = mkdtempSync(join(tmpdir(), "parley-ask-"));

beforeAll(async () => {
  openai = await startFakeProvider({
    protocol: "openai",
    otherwise: { reply: "Paris is the capital of France.", usage: { input: 14, output: 7 } },
  });
  anthropic = await startFakeProvider({
    protocol: "anthropic",
    otherwise: { reply: "Bonjour from Claude.", usage: { input: 20, output: 4 } },
  });
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  // Only what each test sets: the machine's real keys must not leak into the tests.
  for (const name of PROVIDER_VARIABLES) vi.stubEnv(name, "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function ask(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const output = { out: "", err: "" };
  stdout.on("data", (chunk) => (output.out += chunk));
  stderr.on("data", (chunk) => (output.err += chunk));
  const code = await askCommand(argv, { stdin: Readable.from([]), stdout, stderr });
  return { code, ...output };
}

describe("parley ask", () => {
  it("answers through the first configured provider and prints who answered, tokens, cost and latency", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-test");
    vi.stubEnv("OPENAI_BASE_URL", openai.baseUrl);
    const result = await ask(["What is the capital of France?"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Paris is the capital of France\.\n\n/);
    expect(result.out).toContain('answered by openai/gpt-4o-mini via route "default"');
    expect(result.out).toMatch(/tokens: 14 in, 7 out · cost: \$0\.000006 · latency: \d+ ms/);
    expect(result.out).toContain("fallbacks tried: none");
    expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain("What is the capital of France?");
  });

  it("falls back in the environment's order and lists the fallbacks tried, as one JSON object with --json", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-test");
    vi.stubEnv("OPENAI_BASE_URL", openai.baseUrl);
    vi.stubEnv("ANTHROPIC_API_KEY", "sk-ant-test");
    vi.stubEnv("ANTHROPIC_BASE_URL", anthropic.origin);
    openai.enqueue({ error: 401, message: "bad key" });
    const result = await ask(["Say hello", "--json"]);
    expect(result.code).toBe(0);
    const lines = result.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0] ?? "");
    expect(parsed).toMatchObject({
      answer: "Bonjour from Claude.",
      route: "default",
      provider: "anthropic",
      model: "claude-3-5-haiku-latest",
      inputTokens: 20,
      outputTokens: 4,
      fallbackPosition: 1,
      fallbacks: [{ provider: "openai", model: "gpt-4o-mini", outcome: "auth" }],
    });
    // 20 * 0.8 / 1e6 + 4 * 4 / 1e6 from the default price table
    expect(parsed.costUsd).toBeCloseTo(0.000032, 12);
    expect(parsed.latencyMs).toBeGreaterThan(0);
  });

  it("answers with the offline provider when nothing is configured", async () => {
    const result = await ask(["Hello?", "--json"]);
    expect(JSON.parse(result.out)).toMatchObject({ provider: "offline", model: "offline", costUsd: 0 });
    expect(JSON.parse(result.out).answer).toMatch(/offline mode/);
  });

  it("uses a route from --config and rejects unknown routes and missing prompts", async () => {
    const config = join(scratch, "models.json");
    writeFileSync(
      config,
      JSON.stringify({
        providers: [{ name: "local", kind: "openai_compatible", baseUrl: openai.baseUrl }],
        routes: { fast: { targets: [{ provider: "local", model: "tiny" }] } },
      }),
    );
    const result = await ask(["Capital of France?", "--route", "fast", "--config", config]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('answered by local/tiny via route "fast"');
    await expect(ask(["hi", "--route", "nope"])).rejects.toThrow(/model route "nope" does not exist/);
    await expect(ask([])).rejects.toThrow(UsageError);
    await expect(ask(["hi", "--config", join(scratch, "missing.json")])).rejects.toThrow(
      /cannot read --config/,
    );
  });
});
