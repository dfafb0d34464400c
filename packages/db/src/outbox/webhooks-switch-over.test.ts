import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import { defaultMigrationsDir } from "../migrations/migration-files";
import { applyMigrations } from "../migrations/migration-runner";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import type { OutboxRelay } from "./relay";

/** The migration that moves tenant webhooks onto the outbox relay. */
const SWITCH_OVER = "20261207160637_webhooks_from_outbox";
const at = "2026-03-01T10:00:00.000Z";

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("migration webhooks_from_outbox on %s", (kind) => {
  let testDb: TestDatabase;
  let pool: pg.Pool;
  let before: string;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind, migrate: false });
    pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
    // Every migration up to (not including) the switch-over.
    before = mkdtempSync(join(tmpdir(), "parley-migrations-"));
    for (const name of readdirSync(defaultMigrationsDir)) {
      if (name < SWITCH_OVER)
        cpSync(join(defaultMigrationsDir, name), join(before, name), { recursive: true });
    }
    await applyMigrations(pool, { migrationsDir: before });
  }, 120_000);
  afterAll(async () => {
    for (const relay of relays) await relay.stop().catch(() => {});
    await pool?.end();
    await testDb?.cleanup();
    rmSync(before, { recursive: true, force: true });
  });

  /** One step of conversation `id` through parley_commit_step as the tenant, with a webhook event. */
  const commitStep = async (tenant: Seeded, id: string, step: number) => {
    const messageId = randomUUID();
    const payload = { id: messageId, version: 1, tenantId: tenant.tenantId, conversationId: id, n: step };
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        "SELECT set_config('role', 'parley_app', true), set_config('app.tenant_id', $1, true)",
        [tenant.tenantId],
      );
      const { rows } = await client.query<{ outcome: { committed: boolean } }>(
        "SELECT parley_commit_step($1::jsonb) AS outcome",
        [
          {
            tenant_id: tenant.tenantId,
            conversation_id: id,
            bot_id: tenant.botId,
            flow_version_id: tenant.versionId,
            expected_last_seq: step,
            create:
              step === 0
                ? { flow_id: tenant.flowId, contact_id: null, channel: "web", metadata: {}, started_at: at }
                : null,
            set: { status: "waiting", last_seq: step + 1, last_activity_at: at, turn_count_increment: 1 },
            messages: [
              {
                id: messageId,
                seq: step + 1,
                author: "bot",
                payload: { type: "text" },
                text: "hi",
                created_at: at,
              },
            ],
            analytics: [],
            // What the turn sent before the switch-over: the function recorded deliveries from it.
            events: [
              { event_id: randomUUID(), event_type: "message", payload: { n: step }, occurred_at: at },
            ],
            contact: null,
            outbox: [{ topic: "message.outbound.v1", payload }],
          },
        ],
      );
      await client.query("COMMIT");
      expect(rows[0]?.outcome.committed).toBe(true);
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  };

  it("starts parley.webhooks after the events whose deliveries the old commit made, and the commit makes none", async () => {
    const tenant = await seed(testDb.db);
    const id = randomUUID();
    // Before: the commit records a delivery per subscribed endpoint, and its event goes to the outbox.
    await commitStep(tenant, id, 0);
    // A relay of the old version sequences it (another group consumes it), then a second step is not
    // sequenced yet when the migration runs.
    const old = testDb.db.createOutboxRelay({ idleMs: 10 });
    relays.push(old);
    old.subscribe("message.outbound.v1", "other", async () => {});
    await old.drain();
    await old.stop();
    await commitStep(tenant, id, 1);
    expect(await count("SELECT count(*) FROM webhook_deliveries")).toBe(2);
    expect(await count("SELECT count(*) FROM outbox WHERE position IS NULL")).toBe(1);

    await applyMigrations(pool, { migrationsDir: defaultMigrationsDir });

    // Everything written before is sequenced, and the webhook group starts after it.
    expect(await count("SELECT count(*) FROM outbox WHERE position IS NULL")).toBe(0);
    const last = await count("SELECT last_position FROM outbox_relay_state WHERE id = 1");
    expect(last).toBe(2);
    expect(
      await count("SELECT position FROM outbox_consumer_offsets WHERE group_id = 'parley.webhooks'"),
    ).toBe(last);

    // After: the commit ignores the webhook events (no delivery), and the group sees only new events.
    await commitStep(tenant, id, 2);
    expect(await count("SELECT count(*) FROM webhook_deliveries")).toBe(2);
    const relay = testDb.db.createOutboxRelay({ idleMs: 10 });
    relays.push(relay);
    const seen: number[] = [];
    relay.subscribe("message.outbound.v1", "parley.webhooks", async (event) => {
      seen.push(event.payload.n as number);
    });
    await relay.drain();
    expect(seen).toEqual([2]);
  }, 120_000);

  async function count(text: string): Promise<number> {
    const { rows } = await pool.query<Record<string, string>>(text);
    return Number(Object.values(rows[0] ?? {})[0] ?? 0);
  }
});

interface Seeded {
  tenantId: string;
  botId: string;
  flowId: string;
  versionId: string;
}

/** A tenant with a bot, a flow, a draft version and an endpoint subscribed to `message`. */
async function seed(db: Database): Promise<Seeded> {
  const slug = `switch-${randomUUID().slice(0, 8)}`;
  const tenant = await db.system.tenant.create({ data: { name: slug, slug } });
  const tenantId = tenant.id;
  const bot = await db.system.bot.create({
    data: { tenantId, name: "bot", publishableKey: `pk_${slug}`, allowedOrigins: [] },
  });
  const flow = await db.system.flow.create({ data: { tenantId, botId: bot.id, name: "main", draft: {} } });
  const version = await db.system.flowVersion.create({
    data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: {}, status: "draft" },
  });
  await db.system.webhookEndpoint.create({
    data: {
      tenantId,
      url: "https://hooks.example/a",
      events: ["message"],
      secretCiphertext: "c",
      secretKeyId: "k",
    },
  });
  return { tenantId, botId: bot.id, flowId: flow.id, versionId: version.id };
}
