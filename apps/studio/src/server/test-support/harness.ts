import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createSession,
  createTenant,
  createUser,
  indexKnowledgeDocument,
  KNOWLEDGE_QUEUE,
  type Role,
  resolveSession,
} from "@parley/core";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import {
  createGuardedHttpClient,
  createInfrastructure,
  createVault,
  generateKeyringEntry,
  type Infrastructure,
  memoryMailer,
  parseKeyring,
} from "@parley/infra";
import { createModelEnginePorts, environmentModelConfig } from "@parley/models";
import { csrfTokenOf } from "../auth/sessions";
import { directRequest, memoryCookies, type StudioContext, type StudioServices } from "../context";
import { appRouter } from "../routers/app";
import { createCallerFactory } from "../trpc";

const createCaller = createCallerFactory(appRouter);

/** A caller of the whole API, as some user (or nobody). */
export type StudioCaller = ReturnType<typeof createCaller>;

/** A database, services and helpers to call the studio API as anybody (internal to tests). */
export interface StudioHarness {
  readonly services: StudioServices;
  readonly mailer: ReturnType<typeof memoryMailer>;
  readonly testDb: TestDatabase;
  /**
   * The session token of a caller: the cookie its last call set (sign-in, sign-up), else the token it
   * was built with; null after sign-out. A caller resolves its session once, like one HTTP request:
   * build a new one with {@link StudioHarness.withToken} to see a change.
   */
  tokenOf(caller: StudioCaller): string | null;
  /** Calls as nobody (signed out). */
  anonymous(request?: Partial<StudioContext["request"]>): Promise<StudioCaller>;
  /** Calls with a real session of `userId` in `tenantId`; mutations carry the right CSRF token unless told otherwise. */
  as(
    userId: string,
    tenantId: string | null,
    options?: { csrf?: "valid" | "missing" },
  ): Promise<StudioCaller>;
  /** Calls with the session cookie a previous call set. */
  withToken(token: string, options?: { csrf?: "valid" | "missing" }): Promise<StudioCaller>;
  /** A new user who is a member of `tenantId` with `role`. */
  member(tenantId: string, role: Role, name?: string): Promise<{ userId: string; email: string }>;
  /**
   * Runs the `knowledge` job handler (what the runtime's worker runs) for every pending document:
   * the studio only queues documents. Returns how many were indexed.
   */
  indexPendingKnowledge(): Promise<number>;
  /** A new tenant with an owner. */
  tenant(name?: string): Promise<{ tenantId: string; ownerId: string; ownerEmail: string }>;
  cleanup(): Promise<void>;
}

let counter = 0;
const uniqueEmail = (label: string) => `${label}-${process.pid}-${Date.now()}-${counter++}@example.com`;

/** Builds the harness on a fresh test database. */
export async function createStudioHarness(): Promise<StudioHarness> {
  const testDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "parley-studio-"));
  const infra: Infrastructure = await createInfrastructure({
    dataDir,
    withQueue: false,
    logger: { info() {}, warn() {}, error() {} } as never,
  });
  const vault = createVault(parseKeyring(generateKeyringEntry("studio-test")));
  const http = createGuardedHttpClient({ allowLoopback: true });
  // No environment keys: the offline provider answers; loopback allowed for local document servers.
  const models = createModelEnginePorts({
    db: testDb.db,
    vault,
    cache: infra.cache,
    http,
    environment: environmentModelConfig({}),
  });
  const mailer = memoryMailer();
  const core: CoreDeps = {
    db: testDb.db,
    infra,
    vault,
    http,
    enginePorts: models.enginePorts,
    models,
    mailer,
    studioUrl: "http://studio.test",
  };
  const services: StudioServices = {
    core,
    runtimeUrl: "http://runtime.test",
    templatesDir: join(import.meta.dirname, "../../../../../examples/flows"),
    now: () => new Date(),
  };

  const jars = new WeakMap<
    StudioCaller,
    { cookies: ReturnType<typeof memoryCookies>; initial: string | null; touched: boolean }
  >();
  const build = async (
    request: StudioContext["request"],
    auth: StudioContext["auth"],
  ): Promise<StudioCaller> => {
    const entry = { cookies: memoryCookies(), initial: request.sessionToken, touched: false };
    const cookies = {
      set(token: string, expiresAt: Date) {
        entry.touched = true;
        entry.cookies.set(token, expiresAt);
      },
      clear() {
        entry.touched = true;
        entry.cookies.clear();
      },
    };
    const caller = createCaller({ ...services, request, auth, cookies });
    jars.set(caller, entry);
    return caller;
  };

  const withToken: StudioHarness["withToken"] = async (token, options = {}) => {
    const auth = await resolveSession(core, token, new Date());
    const csrfToken = auth && options.csrf !== "missing" ? csrfTokenOf(auth.csrfSecret) : null;
    return build({ ...directRequest, sessionToken: token, csrfToken }, auth);
  };

  const indexPendingKnowledge = async () => {
    const pending = await testDb.db.system.knowledgeDocument.findMany({
      where: { status: "pending" },
      select: { id: true, tenantId: true },
    });
    for (const document of pending)
      await indexKnowledgeDocument(core, {
        id: `knowledge:${document.id}`,
        queue: KNOWLEDGE_QUEUE,
        data: { tenantId: document.tenantId, documentId: document.id },
        attempt: 1,
        maxAttempts: 3,
      });
    return pending.length;
  };

  return {
    services,
    indexPendingKnowledge,
    mailer,
    testDb,
    tokenOf(caller) {
      const entry = jars.get(caller);
      if (!entry) return null;
      return entry.touched ? entry.cookies.token : entry.initial;
    },
    anonymous: (request = {}) => build({ ...directRequest, ...request }, null),
    async as(userId, tenantId, options = {}) {
      const session = await createSession(core, {
        userId,
        activeTenantId: tenantId,
        ipAddress: "127.0.0.1",
        userAgent: "vitest",
        now: new Date(),
      });
      return withToken(session.token, options);
    },
    withToken,
    async member(tenantId, role, name = role) {
      const email = uniqueEmail(name);
      const user = await createUser(core, { email, name, password: "correct horse battery" });
      await testDb.db.system.membership.create({ data: { tenantId, userId: user.id, role } });
      return { userId: user.id, email };
    },
    async tenant(name = "Acme") {
      const ownerEmail = uniqueEmail("owner");
      const owner = await createUser(core, {
        email: ownerEmail,
        name: "Owner",
        password: "correct horse battery",
      });
      const tenant = await createTenant(core, { name, ownerUserId: owner.id });
      return { tenantId: tenant.id, ownerId: owner.id, ownerEmail };
    },
    async cleanup() {
      await infra.close();
      await testDb.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
