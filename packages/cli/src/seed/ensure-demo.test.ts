import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authenticateKey } from "@parley/core";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createInfrastructure, type Infrastructure, verifyPassword } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFilePath, readDemoFile } from "./demo-file";
import { DEMO_OWNER_EMAIL, ensureDemo } from "./ensure-demo";

describe("ensureDemo", () => {
  let testDb: TestDatabase;
  let infra: Infrastructure;
  let dataDir: string;
  const urls = { studioUrl: "http://localhost:3000", runtimeUrl: "http://localhost:4000" };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "parley-seed-"));
    infra = await createInfrastructure({ dataDir: join(dataDir, "infra"), withQueue: false });
  });
  afterAll(async () => {
    await infra?.close();
    await testDb?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates a working demo: owner, bot with a published flow, API key, widget key", async () => {
    const demo = await ensureDemo({ db: testDb.db, infra }, { dataDir, ...urls });
    expect(demo.outcome).toBe("created");
    expect(readDemoFile(dataDir)).toEqual(demo.credentials);

    const owner = await testDb.db.system.user.findUniqueOrThrow({ where: { email: DEMO_OWNER_EMAIL } });
    expect(await verifyPassword(demo.credentials.ownerPassword, owner.passwordHash ?? undefined)).toBe(true);

    const bot = await testDb.db.forTenant(demo.credentials.tenantId).bot.findUniqueOrThrow({
      where: { id: demo.credentials.botId },
    });
    expect(bot.publishableKey).toBe(demo.credentials.publishableKey);
    expect(bot.allowedOrigins).toEqual(["http://localhost:4000", "http://localhost:3000"]);
    const versions = await testDb.db.forTenant(demo.credentials.tenantId).flowVersion.findMany();
    expect(versions).toHaveLength(1);
    expect(versions[0]?.status).toBe("published");

    const auth = await authenticateKey({ db: testDb.db, infra }, demo.credentials.apiKey);
    expect(auth.tenantId).toBe(demo.credentials.tenantId);
  });

  it("is idempotent: a second run keeps the same demo and only refreshes URLs", async () => {
    const first = readDemoFile(dataDir)!;
    const again = await ensureDemo(
      { db: testDb.db, infra },
      {
        dataDir,
        studioUrl: "http://localhost:3100",
        runtimeUrl: urls.runtimeUrl,
      },
    );
    expect(again.outcome).toBe("existing");
    expect(again.credentials).toEqual({ ...first, studioUrl: "http://localhost:3100" });
    expect(await testDb.db.system.tenant.count({ where: { slug: "demo" } })).toBe(1);
  });

  it("reissues keys and password when demo.json is lost, without a second demo", async () => {
    const before = readDemoFile(dataDir)!;
    rmSync(demoFilePath(dataDir));
    const reissued = await ensureDemo({ db: testDb.db, infra }, { dataDir, ...urls });
    expect(reissued.outcome).toBe("reissued");
    expect(reissued.credentials.tenantId).toBe(before.tenantId);
    expect(reissued.credentials.botId).toBe(before.botId);
    expect(reissued.credentials.apiKey).not.toBe(before.apiKey);
    expect(reissued.credentials.ownerPassword).not.toBe(before.ownerPassword);
    const auth = await authenticateKey({ db: testDb.db, infra }, reissued.credentials.apiKey);
    expect(auth.tenantId).toBe(before.tenantId);
    expect(await testDb.db.system.tenant.count({ where: { slug: "demo" } })).toBe(1);
  });

  it("refuses a damaged demo file with a message naming it", async () => {
    writeFileSync(demoFilePath(dataDir), "{ not json");
    await expect(ensureDemo({ db: testDb.db, infra }, { dataDir, ...urls })).rejects.toThrow(
      /demo\.json is not valid JSON/,
    );
    writeFileSync(demoFilePath(dataDir), JSON.stringify({ tenantId: "x" }));
    await expect(ensureDemo({ db: testDb.db, infra }, { dataDir, ...urls })).rejects.toThrow(
      /not a valid demo file \(botId/,
    );
  });
});
