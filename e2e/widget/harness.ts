import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createParleyClient } from "@parley/client";
import { type Browser, chromium } from "playwright-core";
import { fakeBot, startFakeRuntime } from "./fake-runtime";
import { streamingFlow } from "./streaming-flow";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A runtime serving `/widget.js`, `/demo` and the conversation API for one demo bot. */
export interface WidgetTarget {
  /** `fake` (e2e/widget/fake-runtime.ts) or `real` (apps/runtime). */
  readonly kind: "fake" | "real";
  readonly url: string;
  readonly botId: string;
  readonly publishableKey: string;
  /** The demo tenant's secret key (`sk_...`), when the harness seeded the runtime itself. */
  readonly apiKey?: string;
  /** The page embedding the demo bot with the one-tag snippet. */
  readonly demoUrl: string;
  /** A page embedding a bot that streams an LLM reply to `streamPrompt` (when there is one). */
  readonly streamingDemoUrl: string | undefined;
  /** What to send on that page for a streamed reply. */
  readonly streamPrompt: string | undefined;
  close(): Promise<void>;
}

/**
 * The runtime the widget e2e tests drive:
 * - default: the real `apps/runtime` on an ephemeral port and a fresh database, seeded with the demo
 *   bot by `parley seed` plus a streaming bot (see {@link startRealRuntime});
 * - `PARLEY_E2E_RUNTIME=fake`: the FAKE runtime (a scripted copy of the pizza demo that speaks the
 *   same contract; fast, for working on the widget alone);
 * - `PARLEY_E2E_RUNTIME_URL` (plus `PARLEY_E2E_BOT_ID`, `PARLEY_E2E_KEY`, optionally
 *   `PARLEY_E2E_STREAM_PROMPT`): an already running runtime, e.g. `npm start`.
 */
export async function startWidgetTarget(): Promise<WidgetTarget> {
  if (!process.env.PARLEY_E2E_RUNTIME_URL && process.env.PARLEY_E2E_RUNTIME !== "fake")
    return startRealRuntime();
  const external = process.env.PARLEY_E2E_RUNTIME_URL;
  if (external) {
    const botId = process.env.PARLEY_E2E_BOT_ID;
    const publishableKey = process.env.PARLEY_E2E_KEY;
    if (!botId || !publishableKey)
      throw new Error(
        "PARLEY_E2E_RUNTIME_URL needs PARLEY_E2E_BOT_ID and PARLEY_E2E_KEY (the demo bot's pk_ key)",
      );
    const url = external.replace(/\/+$/, "");
    return {
      kind: "real",
      url,
      botId,
      publishableKey,
      demoUrl: `${url}/demo?botId=${encodeURIComponent(botId)}&key=${encodeURIComponent(publishableKey)}`,
      streamingDemoUrl: process.env.PARLEY_E2E_STREAM_PROMPT
        ? `${url}/demo?botId=${encodeURIComponent(botId)}&key=${encodeURIComponent(publishableKey)}`
        : undefined,
      streamPrompt: process.env.PARLEY_E2E_STREAM_PROMPT,
      close: async () => undefined,
    };
  }
  const fake = await startFakeRuntime();
  return {
    kind: "fake",
    url: fake.url,
    ...fakeBot,
    demoUrl: `${fake.url}/demo`,
    streamingDemoUrl: `${fake.url}/demo`,
    streamPrompt: "/llm what do you recommend?",
    close: fake.close,
  };
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Runs a node script of the repo; resolves with its output, rejects on a non-zero exit. */
export function runNode(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, entry), ...args], { env, cwd: repoRoot });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) =>
      code === 0
        ? resolveRun(output)
        : reject(new Error(`${entry} ${args.join(" ")} exited ${code}: ${output}`)),
    );
  });
}

/**
 * The real runtime: a fresh migrated database (`@parley/db/testing`), `parley seed` for the demo
 * bot (pizza flow, publishable key, allowed origins), then `apps/runtime/src/main.ts` on a free port.
 */
async function startRealRuntime(): Promise<WidgetTarget> {
  const { createTestDatabase } = await import("@parley/db/testing");
  const testDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "parley-widget-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: testDb.url,
    PARLEY_DATA_DIR: dataDir,
    RUNTIME_HOST: "127.0.0.1",
    RUNTIME_PORT: String(port),
    PARLEY_RUNTIME_URL: url,
    PARLEY_DEMO_FILE: join(dataDir, "demo.json"),
    LOG_LEVEL: "warn",
  };
  let runtime: ReturnType<typeof spawn> | undefined;
  const cleanup = async () => {
    if (runtime && runtime.exitCode === null) {
      const exited = new Promise((done) => runtime?.once("exit", done));
      runtime.kill("SIGTERM");
      await exited;
    }
    await testDb.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await runNode("packages/cli/bin/parley.js", ["seed"], env);
    const demo = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as {
      botId: string;
      publishableKey: string;
      apiKey: string;
    };
    runtime = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "apps/runtime/src/main.ts")], {
      env,
      cwd: repoRoot,
    });
    let log = "";
    runtime.stderr?.on("data", (chunk) => (log += chunk));
    runtime.stdout?.on("data", (chunk) => (log += chunk));
    const deadline = Date.now() + 45_000;
    for (;;) {
      if (runtime.exitCode !== null) throw new Error(`the runtime exited with ${runtime.exitCode}: ${log}`);
      const healthy = await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (Date.now() > deadline) throw new Error(`the runtime did not become healthy in 45 s: ${log}`);
      await new Promise((wait) => setTimeout(wait, 200));
    }
    const streaming = await seedStreamingBot(url, demo.apiKey);
    return {
      kind: "real",
      url,
      botId: demo.botId,
      publishableKey: demo.publishableKey,
      apiKey: demo.apiKey,
      demoUrl: `${url}/demo`,
      streamingDemoUrl: `${url}/demo?botId=${encodeURIComponent(streaming.id)}&key=${encodeURIComponent(streaming.publishableKey)}`,
      streamPrompt: "Which pizza do you recommend?",
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * Creates a bot running {@link streamingFlow} through the management API with the demo's secret
 * key, using the typed REST client (`@parley/client`).
 */
async function seedStreamingBot(
  url: string,
  apiKey: string,
): Promise<{ id: string; publishableKey: string }> {
  const parley = createParleyClient({ baseUrl: url, apiKey });
  const ok = <T>(what: string, result: { data?: T; error?: unknown; response: Response }): T => {
    if (result.data === undefined)
      throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
    return result.data;
  };
  const bot = ok(
    "create bot",
    await parley.POST("/api/v1/bots", { body: { name: "Widget e2e streaming", allowedOrigins: [url] } }),
  );
  const flow = ok(
    "import flow",
    await parley.POST("/api/v1/bots/{botId}/flows", {
      params: { path: { botId: bot.id } },
      body: { document: streamingFlow, entry: true },
    }),
  );
  ok(
    "publish",
    await parley.POST("/api/v1/flows/{flowId}/publish", { params: { path: { flowId: flow.id } }, body: {} }),
  );
  return bot;
}

/** Debian's Chromium through playwright-core (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
