import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createBot, createTenant, createUser } from "@parley/core";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createInfrastructure } from "@parley/infra";
import { type Browser, chromium, type Page } from "playwright-core";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const studioDir = join(repoRoot, "apps/studio");

/** Who and what the studio e2e tests work with. */
export interface StudioStack {
  readonly studioUrl: string;
  /** The runtime (widget script, /demo page), when it could be started. */
  readonly runtimeUrl: string | null;
  readonly owner: { email: string; password: string; name: string };
  readonly botId: string;
  readonly publishableKey: string;
  readonly db: TestDatabase;
  /** Everything the child processes printed (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".next" || entry.name.startsWith(".")) continue;
    // Tests are not part of the build.
    if (entry.name.endsWith(".test.ts") || entry.name === "test-support") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether apps/studio needs `next build` (no build, or a studio or package source newer than it). */
export function studioNeedsBuild(): boolean {
  const buildId = join(studioDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return [
    join(studioDir, "src"),
    ...["flow-schema", "engine", "core", "db", "infra", "config", "models"].map((p) =>
      join(repoRoot, "packages", p, "src"),
    ),
  ].some((dir) => existsSync(dir) && newestMtime(dir) > builtAt);
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) =>
      code === 0
        ? done(output)
        : fail(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

/** Builds the studio when its build is missing or stale (slow: a minute or more on 2 cores). */
export async function ensureStudioBuild(): Promise<void> {
  if (!studioNeedsBuild() && !process.env.PARLEY_E2E_REBUILD) return;
  await run(process.execPath, [join(repoRoot, "node_modules/next/dist/bin/next"), "build"], {
    cwd: studioDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

async function waitFor(
  url: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${url}: the process exited with ${child.exitCode}:\n${log().slice(-4000)}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
      (response) => response.status < 500,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${log().slice(-4000)}`);
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

/**
 * A fresh database seeded with an owner, a workspace and a bot; the studio (`next start`, built when
 * needed) on a free port; and, unless `withRuntime` is false or it fails to start, the runtime
 * (`apps/runtime/src/main.ts`) on the same database for the widget demo page.
 */
export async function startStudioStack(options: { withRuntime?: boolean } = {}): Promise<StudioStack> {
  // PARLEY_E2E_DEV=1 runs `next dev` instead (no build, readable React errors; for debugging).
  const dev = process.env.PARLEY_E2E_DEV === "1";
  if (!dev) await ensureStudioBuild();
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "parley-studio-e2e-"));
  let output = "";
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children) await stop(child);
    await db.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const infra = await createInfrastructure({ dataDir, withQueue: false });
    const deps = { db: db.db, infra };
    const owner = {
      email: `owner-${Date.now()}@example.com`,
      password: "e2e owner password",
      name: "E2E Owner",
    };
    const user = await createUser(deps, owner);
    const tenant = await createTenant(deps, { name: "E2E Workspace", ownerUserId: user.id });
    const [studioPort, runtimePort] = [await freePort(), await freePort()];
    const studioUrl = `http://127.0.0.1:${studioPort}`;
    const runtimeUrl = `http://127.0.0.1:${runtimePort}`;
    const bot = await createBot(
      {
        deps,
        tenantId: tenant.id,
        actor: { type: "user", userId: user.id, role: "owner", label: owner.email },
      },
      { name: "E2E bot", allowedOrigins: [runtimeUrl, studioUrl] },
    );
    await infra.close();

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_RUNTIME_URL: runtimeUrl,
      PARLEY_STUDIO_URL: studioUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: dev ? "development" : "production",
      LOG_LEVEL: "warn",
    };
    const studio = spawn(
      process.execPath,
      [
        join(repoRoot, "node_modules/next/dist/bin/next"),
        dev ? "dev" : "start",
        "--port",
        String(studioPort),
        "--hostname",
        "127.0.0.1",
      ],
      {
        cwd: studioDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(studio);
    studio.stdout?.on("data", (chunk) => (output += `[studio] ${chunk}`));
    studio.stderr?.on("data", (chunk) => (output += `[studio] ${chunk}`));
    await waitFor(`${studioUrl}/sign-in`, studio, () => output, dev ? 240_000 : 60_000);

    let runtimeAvailable: string | null = null;
    const runtimeMain = join(repoRoot, "apps/runtime/src/main.ts");
    if (options.withRuntime !== false && existsSync(runtimeMain)) {
      const runtime = spawn(process.execPath, ["--import", "tsx", runtimeMain], {
        cwd: repoRoot,
        env: {
          ...env,
          NODE_ENV: "development",
          RUNTIME_HOST: "127.0.0.1",
          RUNTIME_PORT: String(runtimePort),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(runtime);
      runtime.stdout?.on("data", (chunk) => (output += `[runtime] ${chunk}`));
      runtime.stderr?.on("data", (chunk) => (output += `[runtime] ${chunk}`));
      try {
        // Under load (several test stacks on 2 cores) the runtime takes a while to compile and boot.
        await waitFor(`${runtimeUrl}/health`, runtime, () => output, 180_000);
        runtimeAvailable = runtimeUrl;
      } catch (error) {
        output += `[e2e] the runtime is not available, skipping the widget part: ${(error as Error).message.split("\n")[0]}\n`;
        await stop(runtime);
      }
    }
    return {
      studioUrl,
      runtimeUrl: runtimeAvailable,
      owner,
      botId: bot.id,
      publishableKey: bot.publishableKey,
      db,
      log: () => output,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Debian's Chromium through playwright-core (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Signs the stack's owner in on `page` with e-mail and password and waits for the bots page. */
export async function signInAsOwner(page: Page, stack: StudioStack): Promise<void> {
  await page.goto(`${stack.studioUrl}/sign-in`);
  await page.fill("#email", stack.owner.email);
  await page.fill("#password", stack.owner.password);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/bots$/);
}

/** A studio stack, Chromium, and a page signed in as the owner: where most studio test files start. */
export interface SignedInStudio {
  stack: StudioStack;
  browser: Browser;
  page: Page;
}

/**
 * Starts a studio stack (without the runtime unless asked), launches Chromium and signs the owner in on
 * a page of `viewport` (1400x900). What started is stopped again when a later step fails.
 *
 * @example
 * ```ts
 * beforeAll(async () => ({ stack, page } = studio = await openSignedInStudio()), 600_000);
 * afterAll(() => closeSignedInStudio(studio));
 * ```
 */
export async function openSignedInStudio(
  options: { withRuntime?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<SignedInStudio> {
  const stack = await startStudioStack({ withRuntime: options.withRuntime ?? false });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    await signInAsOwner(page, stack);
    return { stack, browser, page };
  } catch (error) {
    await closeSignedInStudio({ stack, browser });
    throw error;
  }
}

/** Closes what {@link openSignedInStudio} opened (any part may be missing after a failed start). */
export async function closeSignedInStudio(studio: Partial<SignedInStudio> | undefined): Promise<void> {
  await studio?.browser?.close();
  await studio?.stack?.close();
}

/** Runs `work`; a failure carries the end of the stack's output, so a server-side error is visible. */
export async function withStackLog(stack: StudioStack, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- stack output ---\n${stack.log().slice(-3000)}`);
  }
}

/** Reads a JSON file of the repository. */
export function readRepoJson(path: string): unknown {
  return JSON.parse(readFileSync(join(repoRoot, path), "utf8"));
}
