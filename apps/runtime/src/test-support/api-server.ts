import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createApiKey,
  createTenant,
  createUser,
  type Role,
  type ServiceContext,
} from "@parley/core";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createInfrastructure, memoryMailer } from "@parley/infra";
import { buildRuntimeServer } from "../server";

/**
 * The REST API on a loopback socket over a fresh test database, with a memory mailer (so tests
 * read the invitations it sends) and a tenant with an owner (internal to tests).
 */
export interface ApiServer {
  url: string;
  deps: CoreDeps;
  testDb: TestDatabase;
  mailer: ReturnType<typeof memoryMailer>;
  owner: ServiceContext;
  /** A secret key of the tenant with exactly `scopes`. */
  key(scopes: string[]): Promise<{ key: string; keyId: string }>;
  /** A new member of the tenant with `role`. */
  member(role: Role): Promise<{ userId: string; email: string }>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts the API server for a test file. */
export async function startApiServer(): Promise<ApiServer> {
  const testDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "parley-api-"));
  const infra = await createInfrastructure({
    dataDir,
    withQueue: false,
    logger: { info() {}, warn() {}, error() {} } as never,
  });
  const mailer = memoryMailer();
  const deps: CoreDeps = { db: testDb.db, infra, mailer, studioUrl: "http://studio.test" };
  const email = (label: string) => `${label}-${process.pid}-${counter++}@example.com`;
  const ownerUser = await createUser(deps, { email: email("owner"), name: "Owner" });
  const tenant = await createTenant(deps, { name: "Acme", ownerUserId: ownerUser.id });
  const owner: ServiceContext = {
    deps,
    tenantId: tenant.id,
    actor: { type: "user", userId: ownerUser.id, role: "owner", label: ownerUser.email },
  };
  const app = buildRuntimeServer({ readinessChecks: [], deps, logLevel: "silent" });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    deps,
    testDb,
    mailer,
    owner,
    async key(scopes) {
      const created = await createApiKey(owner, { name: `key ${counter++}`, scopes: scopes as ["*"] });
      return { key: created.key, keyId: created.apiKey.id };
    },
    async member(role) {
      const user = await createUser(deps, { email: email(role), name: role });
      await testDb.db.system.membership.create({ data: { tenantId: tenant.id, userId: user.id, role } });
      return { userId: user.id, email: user.email };
    },
    async close() {
      await app.close();
      await infra.close();
      await testDb.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
