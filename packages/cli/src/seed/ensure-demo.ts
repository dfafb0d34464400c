import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CoreDeps,
  createApiKey,
  createBot,
  createFlow,
  createTenant,
  createUser,
  publishFlow,
  systemContext,
} from "@parley/core";
import { hashPassword } from "@parley/infra";
import { repoRoot } from "../paths";
import { type DemoCredentials, readDemoFile, writeDemoFile } from "./demo-file";

/** The demo tenant's fixed handle: how a re-run finds what an earlier run created. */
export const DEMO_TENANT_SLUG = "demo";
/** The demo owner's sign-in e-mail. */
export const DEMO_OWNER_EMAIL = "owner@demo.parley.local";
const DEMO_FLOW_FILE = join(repoRoot, "examples/flows/pizza-order.json");

/** Where the demo is and how it was obtained. */
export interface DemoResult {
  readonly credentials: DemoCredentials;
  readonly file: string;
  /** `created`: seeded now; `existing`: found intact; `reissued`: found, but keys/password had to be renewed. */
  readonly outcome: "created" | "existing" | "reissued";
}

interface DemoOptions {
  readonly dataDir: string;
  readonly studioUrl: string;
  readonly runtimeUrl: string;
}

/**
 * Makes sure the demo exists and `demo.json` describes it. Idempotent: a second run finds the demo
 * tenant and keeps it. When the demo is in the database but the file is gone (keys are stored only as
 * hashes), it issues a new API key and owner password rather than creating a second demo.
 */
export async function ensureDemo(deps: CoreDeps, options: DemoOptions): Promise<DemoResult> {
  const db = deps.db;
  const recorded = readDemoFile(options.dataDir);
  const tenant = await db.system.tenant.findUnique({ where: { slug: DEMO_TENANT_SLUG } });
  if (tenant && recorded?.tenantId === tenant.id) {
    const credentials = { ...recorded, studioUrl: options.studioUrl, runtimeUrl: options.runtimeUrl };
    return { credentials, file: writeDemoFile(options.dataDir, credentials), outcome: "existing" };
  }
  const credentials = tenant ? await reissueDemo(deps, tenant.id, options) : await createDemo(deps, options);
  return {
    credentials,
    file: writeDemoFile(options.dataDir, credentials),
    outcome: tenant ? "reissued" : "created",
  };
}

async function createDemo(deps: CoreDeps, options: DemoOptions): Promise<DemoCredentials> {
  const ownerPassword = newPassword();
  const owner = await createUser(deps, {
    email: DEMO_OWNER_EMAIL,
    name: "Demo Owner",
    password: ownerPassword,
  });
  const tenant = await createTenant(deps, { name: "Demo", slug: DEMO_TENANT_SLUG, ownerUserId: owner.id });
  const ctx = ownerContext(deps, tenant.id, owner);
  const bot = await createBot(ctx, {
    name: "Pizza Palace",
    description: "The seeded demo bot: orders a pizza with buttons and typed input.",
    allowedOrigins: [...new Set([new URL(options.runtimeUrl).origin, new URL(options.studioUrl).origin])],
  });
  const flow = await createFlow(ctx, { botId: bot.id, document: readDemoFlow(), entry: true });
  await publishFlow(ctx, flow.id, { note: "Seeded demo" });
  const { key } = await createApiKey(ctx, { name: "Demo key", scopes: ["*"] });
  return credentialsOf({ tenantId: tenant.id, bot, owner, ownerPassword, apiKey: key }, options);
}

async function reissueDemo(deps: CoreDeps, tenantId: string, options: DemoOptions): Promise<DemoCredentials> {
  const owner = await deps.db.system.user.findUnique({ where: { email: DEMO_OWNER_EMAIL } });
  const bot = await deps.db.system.bot.findFirst({
    where: { tenantId, archivedAt: null },
    orderBy: { createdAt: "asc" },
  });
  if (!owner || !bot) {
    throw new Error(
      `the demo tenant "${DEMO_TENANT_SLUG}" exists but its owner or bot is gone; remove the tenant or the data directory and start again.`,
    );
  }
  const ownerPassword = newPassword();
  await deps.db.system.user.update({
    where: { id: owner.id },
    data: { passwordHash: await hashPassword(ownerPassword) },
  });
  const ctx = ownerContext(deps, tenantId, owner);
  const { key } = await createApiKey(ctx, { name: "Demo key (reissued)", scopes: ["*"] });
  return credentialsOf({ tenantId, bot, owner, ownerPassword, apiKey: key }, options);
}

/** The demo owner acting in the demo tenant (seeding is done as the owner, so the audit log says so). */
function ownerContext(deps: CoreDeps, tenantId: string, owner: { id: string; email: string }) {
  return {
    ...systemContext(deps, tenantId, "seed"),
    actor: { type: "user" as const, userId: owner.id, role: "owner" as const, label: owner.email },
  };
}

function credentialsOf(
  demo: {
    tenantId: string;
    bot: { id: string; publishableKey: string };
    owner: { email: string };
    ownerPassword: string;
    apiKey: string;
  },
  options: DemoOptions,
): DemoCredentials {
  return {
    tenantId: demo.tenantId,
    botId: demo.bot.id,
    ownerEmail: demo.owner.email,
    ownerPassword: demo.ownerPassword,
    apiKey: demo.apiKey,
    publishableKey: demo.bot.publishableKey,
    studioUrl: options.studioUrl,
    runtimeUrl: options.runtimeUrl,
  };
}

function readDemoFlow(): Record<string, unknown> {
  return JSON.parse(readFileSync(DEMO_FLOW_FILE, "utf8")) as Record<string, unknown>;
}

/** A readable random password: 18 characters of base64url. */
const newPassword = () => randomBytes(14).toString("base64url");
