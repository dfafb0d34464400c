import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import { TenantScopeError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { readSchemaModels } from "../tooling/schema-text";

const tenantTables = readSchemaModels()
  .filter((model) => model.fields.includes("tenantId"))
  .map((model) => model.table);

/** Creates a tenant with one row in the main tenant-owned tables, through the system client. */
async function seedTenant(db: Database, slug: string) {
  const { system } = db;
  const tenant = await system.tenant.create({ data: { name: slug, slug } });
  const tenantId = tenant.id;
  const user = await system.user.create({
    data: { email: `${slug}@example.com`, name: slug, passwordHash: "hash" },
  });
  await system.membership.create({ data: { tenantId, userId: user.id, role: "owner" } });
  const bot = await system.bot.create({
    data: { tenantId, name: `${slug} bot`, publishableKey: `pk_${slug}`, allowedOrigins: [] },
  });
  const flow = await system.flow.create({ data: { tenantId, botId: bot.id, name: "main", draft: {} } });
  const version = await system.flowVersion.create({
    data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: {}, status: "draft" },
  });
  const contact = await system.contact.create({ data: { tenantId, email: `c@${slug}` } });
  const conversation = await system.conversation.create({
    data: {
      tenantId,
      botId: bot.id,
      flowId: flow.id,
      flowVersionId: version.id,
      contactId: contact.id,
      channel: "web",
    },
  });
  await system.message.create({
    data: { tenantId, conversationId: conversation.id, seq: 1, author: "user", payload: { text: "hi" } },
  });
  await system.apiKey.create({
    data: { tenantId, name: "k", prefix: `pre_${slug}`, keyHash: `h_${slug}`, scopes: [] },
  });
  await system.auditLogEntry.create({
    data: { tenantId, actorType: "system", action: "tenant.create", targetType: "tenant" },
  });
  await system.analyticsEvent.create({ data: { tenantId, type: "turn", occurredAt: new Date() } });
  return { tenantId, user, bot, flow, version, conversation };
}

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("tenant isolation on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    db = testDb.db;
    a = await seedTenant(db, "alpha");
    b = await seedTenant(db, "beta");
  });
  afterAll(() => testDb?.cleanup());

  describe("row-level security (the scoping layer bypassed with raw SQL in tenant A's context)", () => {
    it("shows tenant A only its own rows, in every tenant-owned table", async () => {
      const tenantA = db.forTenant(a.tenantId);
      for (const table of tenantTables) {
        const [seen] = await tenantA.$queryRawUnsafe<{ total: number; foreign: number }[]>(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE tenant_id <> $1)::int AS foreign FROM "${table}"`,
          a.tenantId,
        );
        const [own] = await db.system.$queryRawUnsafe<{ total: number }[]>(
          `SELECT count(*)::int AS total FROM "${table}" WHERE tenant_id = $1`,
          a.tenantId,
        );
        expect({ table, ...seen }).toEqual({ table, total: own?.total, foreign: 0 });
      }
    });

    it("cannot update or delete tenant B's rows", async () => {
      const tenantA = db.forTenant(a.tenantId);
      expect(await tenantA.$executeRaw`UPDATE bots SET name = 'taken' WHERE tenant_id = ${b.tenantId}`).toBe(
        0,
      );
      expect(await tenantA.$executeRawUnsafe("UPDATE bots SET name = 'taken'")).toBe(1);
      expect(await tenantA.$executeRaw`DELETE FROM messages WHERE tenant_id = ${b.tenantId}`).toBe(0);
      expect(await tenantA.$executeRaw`DELETE FROM contacts WHERE id = ${b.conversation.contactId}`).toBe(0);
      const botB = await db.system.bot.findUniqueOrThrow({ where: { id: b.bot.id } });
      expect(botB.name).toBe("beta bot");
      expect(await db.system.message.count({ where: { tenantId: b.tenantId } })).toBe(1);
    });

    it("cannot insert rows for tenant B or move its rows to tenant B", async () => {
      const tenantA = db.forTenant(a.tenantId);
      await expect(
        tenantA.$executeRaw`INSERT INTO contacts (id, tenant_id, attributes, updated_at)
          VALUES ('x-contact', ${b.tenantId}, '{}', now())`,
      ).rejects.toThrow(/row-level security/);
      await expect(
        tenantA.$executeRaw`UPDATE contacts SET tenant_id = ${b.tenantId} WHERE tenant_id = ${a.tenantId}`,
      ).rejects.toThrow(/row-level security/);
      expect(await db.system.contact.count({ where: { tenantId: b.tenantId } })).toBe(1);
    });

    it("runs as parley_app and shows nothing when no tenant is set", async () => {
      const [who] = await db.forTenant(a.tenantId).$queryRaw<{ role: string }[]>`SELECT current_user AS role`;
      expect(who?.role).toBe("parley_app");
      const counts = await db.system.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('role', 'parley_app', true)`;
        return tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM bots`;
      });
      expect(counts[0]?.n).toBe(0);
    });

    it("shows a tenant its own tenant row only, and never password hashes", async () => {
      const tenantA = db.forTenant(a.tenantId);
      const rows = await tenantA.$queryRaw<{ id: string }[]>`SELECT id FROM tenants`;
      expect(rows.map((row) => row.id)).toEqual([a.tenantId]);
      await expect(tenantA.$queryRaw`SELECT password_hash FROM users`).rejects.toThrow(/permission denied/);
      await expect(tenantA.$queryRaw`SELECT count(*) FROM studio_sessions`).rejects.toThrow(
        /permission denied/,
      );
    });
  });

  describe("the scoping layer", () => {
    it("returns only the tenant's rows and treats foreign ids as not found", async () => {
      const tenantA = db.forTenant(a.tenantId);
      expect((await tenantA.bot.findMany()).map((bot) => bot.id)).toEqual([a.bot.id]);
      expect(await tenantA.bot.findUnique({ where: { id: b.bot.id } })).toBeNull();
      expect(await tenantA.conversation.count()).toBe(1);
      await expect(
        tenantA.bot.update({ where: { id: b.bot.id }, data: { name: "taken" } }),
      ).rejects.toThrow();
      expect((await tenantA.tenant.findMany()).map((tenant) => tenant.id)).toEqual([a.tenantId]);
      expect(await tenantA.tenant.findUnique({ where: { id: b.tenantId } })).toBeNull();
    });

    it("stamps created rows with the tenant and refuses another tenant's id", async () => {
      const tenantA = db.forTenant(a.tenantId);
      // The types ask for tenantId (Prisma's generated inputs); at run time a missing one is filled in.
      const unstamped = { email: "new@alpha" } as Prisma.ContactUncheckedCreateInput;
      const contact = await tenantA.contact.create({ data: unstamped });
      expect(contact.tenantId).toBe(a.tenantId);
      await expect(
        tenantA.contact.create({ data: { email: "x", tenantId: b.tenantId } }),
      ).rejects.toBeInstanceOf(TenantScopeError);
      await tenantA.contact.delete({ where: { id: contact.id } });
    });

    it("fails loudly without a tenant id and keeps global models out of reach", async () => {
      expect(() => db.forTenant("")).toThrow(TenantScopeError);
      expect(() => db.forTenant("   ")).toThrow(/must not be empty/);
      expect(() => db.forTenant(undefined as unknown as string)).toThrow(/tenant id is required/);
      const tenantA = db.forTenant(a.tenantId) as unknown as Record<
        string,
        { findMany: () => Promise<unknown> }
      >;
      await expect(tenantA.user?.findMany()).rejects.toThrow(/use db\.system/);
    });

    it("includes member profiles without password hashes", async () => {
      const [membership] = await db.forTenant(a.tenantId).membership.findMany({ include: { user: true } });
      expect(membership?.user.email).toBe("alpha@example.com");
      expect(membership?.user).not.toHaveProperty("passwordHash");
    });

    it("runs a transaction with every call inside it, and rolls it back as a whole", async () => {
      const tenantA = db.forTenant(a.tenantId);
      const failure = await tenantA
        .$transaction(async (tx) => {
          await tx.contact.create({ data: { tenantId: a.tenantId, email: "tx1@alpha" } });
          // The outer client joins the transaction too, also when called concurrently.
          await Promise.all([
            tenantA.contact.create({ data: { tenantId: a.tenantId, email: "tx2@alpha" } }),
            tx.bot.count(),
          ]);
          const [role] = await tx.$queryRaw<{ role: string }[]>`SELECT current_user AS role`;
          expect(role?.role).toBe("parley_app");
          expect(await tx.contact.count({ where: { email: { startsWith: "tx" } } })).toBe(2);
          throw new Error("roll back");
        })
        .catch((error: unknown) => error);
      expect((failure as Error).message).toBe("roll back");
      expect(await tenantA.contact.count({ where: { email: { startsWith: "tx" } } })).toBe(0);
    });

    it("gives work scheduled inside a transaction, but run after it, a transaction of its own", async () => {
      const tenantA = db.forTenant(a.tenantId);
      let later: Promise<number> | undefined;
      await tenantA.$transaction(async (tx) => {
        // The timer inherits the transaction's async context, as a job queued during a turn would, but
        // fires after the transaction committed. (.then() starts the query there; Prisma's are lazy.)
        setTimeout(() => {
          later = tenantA.bot.count().then((n) => n);
        }, 20);
        return tx.bot.count();
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await later).toBe(1);
    });

    it("refuses another tenant's query inside a tenant transaction", async () => {
      await expect(
        db.forTenant(a.tenantId).$transaction(async () => db.forTenant(b.tenantId).bot.findMany()),
      ).rejects.toThrow(/inside a transaction of tenant/);
    });
  });

  describe("composite foreign keys", () => {
    it("refuse a row that points at another tenant's parent, even from the system client", async () => {
      await expect(
        db.system.flow.create({ data: { tenantId: a.tenantId, botId: b.bot.id, name: "cross", draft: {} } }),
      ).rejects.toThrow(/foreign key/i);
      await expect(
        db.forTenant(a.tenantId).message.create({
          data: {
            tenantId: a.tenantId,
            conversationId: b.conversation.id,
            seq: 9,
            author: "user",
            payload: {},
          },
        }),
      ).rejects.toThrow();
      expect(await db.system.message.count({ where: { conversationId: b.conversation.id } })).toBe(1);
    });
  });
});
