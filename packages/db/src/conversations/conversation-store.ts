import type pg from "pg";
import type { Channel, Conversation, MessageAuthor } from "../generated/prisma/client";
import { joinSql, type SqlText, sql } from "../sql/sql-text";
import { type BatchRows, runTenantBatch } from "../sql/tenant-batch";
import {
  channelEventStatement,
  type TurnCommit,
  threadStatement,
  turnCommitStatement,
} from "./turn-commit-sql";

/** A contact found by one of its channel identities. */
export interface ContactRef {
  contactId: string;
  /** The contact's attributes (contact-scoped flow variables live here). */
  attributes: Record<string, unknown>;
}

/** An analytics event written outside a turn commit (a model call record, a budget notice). */
export interface AppendedAnalyticsEvent {
  type: string;
  botId?: string | null;
  conversationId?: string | null;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

/** What {@link ConversationStore.commit} did. */
export interface CommitOutcome {
  /**
   * False when nothing was written: the compare-and-set on `lastSeq` failed, the row to insert
   * existed, or an inbound message's `clientMessageId` was already stored (`duplicate`).
   */
  committed: boolean;
  /** The step's inbound message was stored before (its `clientMessageId`): a resend, answered by replay. */
  duplicate?: boolean;
}

/**
 * The turn pipeline's data access for one tenant, in plain SQL: each method is ONE transaction in
 * ONE round trip, under row-level security as `parley_app` (see runTenantBatch) and filtered by
 * tenant in the SQL itself. This is the hot path; everything else uses the tenant-scoped Prisma
 * client.
 */
export interface ConversationStore {
  readonly tenantId: string;
  /**
   * The conversation (null when there is none in this tenant) and, with `clientMessageId`, the
   * seq of the message that already carried it (null when none did).
   */
  load(
    conversationId: string,
    options?: { clientMessageId?: string },
  ): Promise<{ conversation: Conversation | null; seenSeq: number | null }>;
  /**
   * The conversation's `lastSeq` (null when there is none in this tenant): a cheap check that a
   * cached copy is current before a turn runs effects on it.
   */
  lastSeq(conversationId: string): Promise<number | null>;
  /**
   * {@link lastSeq} and, with `clientMessageId`, the seq of the message that already carried it
   * (null when none did), in one statement: the check a turn on a cached copy makes before its
   * first effect.
   */
  freshness(
    conversationId: string,
    clientMessageId?: string,
  ): Promise<{ lastSeq: number | null; seenSeq: number | null }>;
  /** The seq of the conversation's message with `clientMessageId`, or null. */
  seenClientMessage(conversationId: string, clientMessageId: string): Promise<number | null>;
  /** The last `limit` messages with text, oldest first. */
  history(conversationId: string, limit: number): Promise<{ author: MessageAuthor; text: string }[]>;
  /**
   * {@link history} and {@link lastSeq} in one round trip: a turn that needs the history of a
   * conversation read from the cache checks its freshness with the same query.
   */
  historyAndLastSeq(
    conversationId: string,
    limit: number,
    clientMessageId?: string,
  ): Promise<{
    history: { author: MessageAuthor; text: string }[];
    lastSeq: number | null;
    /** With `clientMessageId`: see {@link freshness}. */
    seenSeq: number | null;
  }>;
  /** The contact behind a channel identity, or null. */
  findContact(channel: Channel, externalId: string): Promise<ContactRef | null>;
  /**
   * The contact behind a channel identity, in ONE round trip whatever happens: the identity's contact
   * when it exists; on first sight, the contact carrying the same `verified` phone number (digits
   * compared) or e-mail address (case-insensitive), linked with this new identity, so one person is
   * one contact across channels; else a new contact. `verified` details the contact lacks are filled
   * in (so later identities can link to it). Concurrent first sights of one identity end with one
   * contact (the loser's new contact is removed again).
   */
  resolveContact(input: {
    contactId: string;
    identityId: string;
    channel: Channel;
    externalId: string;
    displayName: string | null;
    /** Details the platform or the site's server verified (never what a visitor typed). */
    verified?: { phone?: string; email?: string };
    now: Date;
  }): Promise<ContactRef>;
  /**
   * Writes one step of a conversation (see {@link TurnCommit}). A step whose inbound message's
   * `clientMessageId` is stored already (the unique index says so) writes nothing and comes back
   * `duplicate`: a resend needs no read of its own before the turn.
   */
  commit(commit: TurnCommit): Promise<CommitOutcome>;
  /**
   * Inserts analytics events in one statement (ids time-ordered, made by the database): the model
   * layer's call records, written in batches beside the turns. Plain SQL because the ORM's insert
   * cost more CPU than the rest of a model call's handling.
   */
  appendAnalytics(events: readonly AppendedAnalyticsEvent[]): Promise<void>;
}

const CONVERSATION_COLUMNS = sql`id, tenant_id AS "tenantId", bot_id AS "botId", flow_id AS "flowId",
  flow_version_id AS "flowVersionId", contact_id AS "contactId", channel,
  channel_config_id AS "channelConfigId", external_thread_id AS "externalThreadId", status, variables,
  snapshot, last_seq AS "lastSeq", turn_count AS "turnCount", experiment_id AS "experimentId",
  experiment_variant AS "experimentVariant", metadata, started_at AS "startedAt",
  last_activity_at AS "lastActivityAt", handoff_at AS "handoffAt", ended_at AS "endedAt",
  updated_at AS "updatedAt"`;

/** The store of one tenant over `pool` (internal; reach it through `db.conversationStore`). */
export function createConversationStore(pool: pg.Pool, tenantId: string): ConversationStore {
  const batch = (statements: readonly SqlText[]): Promise<BatchRows[]> =>
    runTenantBatch(pool, tenantId, statements);
  const seenStatement = (conversationId: string, clientMessageId: string) =>
    sql`SELECT seq FROM messages WHERE tenant_id = ${tenantId} AND conversation_id = ${conversationId}
      AND client_message_id = ${clientMessageId}`;
  const contactStatement = (channel: Channel, externalId: string) =>
    sql`SELECT i.contact_id AS "contactId", c.attributes
      FROM contact_identities i JOIN contacts c ON c.tenant_id = i.tenant_id AND c.id = i.contact_id
      WHERE i.tenant_id = ${tenantId} AND i.channel = ${channel} AND i.external_id = ${externalId}`;
  const contactOf = (rows: BatchRows | undefined): ContactRef | null => {
    const row = rows?.[0];
    if (!row) return null;
    return {
      contactId: row.contactId as string,
      attributes: (row.attributes ?? {}) as Record<string, unknown>,
    };
  };

  const lastSeqStatement = (conversationId: string) =>
    sql`SELECT last_seq AS "lastSeq" FROM conversations WHERE tenant_id = ${tenantId} AND id = ${conversationId}`;
  // Served by messages (tenant_id, conversation_id, seq) whatever the statistics (history-plan.test.ts).
  const historyStatement = (conversationId: string, limit: number) =>
    sql`SELECT author, text FROM messages
      WHERE tenant_id = ${tenantId} AND conversation_id = ${conversationId} AND text IS NOT NULL
      ORDER BY seq DESC LIMIT ${limit}`;
  const historyOf = (rows: BatchRows | undefined) =>
    ((rows ?? []) as { author: MessageAuthor; text: string }[]).reverse();

  return {
    tenantId,
    async load(conversationId, options = {}) {
      const statements = [
        sql`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE tenant_id = ${tenantId} AND id = ${conversationId}`,
      ];
      if (options.clientMessageId) statements.push(seenStatement(conversationId, options.clientMessageId));
      const [rows, seen] = await batch(statements);
      return {
        conversation: (rows?.[0] as Conversation | undefined) ?? null,
        seenSeq: (seen?.[0]?.seq as number | undefined) ?? null,
      };
    },
    async lastSeq(conversationId) {
      const [rows] = await batch([lastSeqStatement(conversationId)]);
      return (rows?.[0]?.lastSeq as number | undefined) ?? null;
    },
    async freshness(conversationId, clientMessageId) {
      const [rows] = await batch([
        clientMessageId
          ? sql`SELECT c.last_seq AS "lastSeq", (${seenStatement(conversationId, clientMessageId)}) AS "seenSeq"
              FROM conversations c WHERE c.tenant_id = ${tenantId} AND c.id = ${conversationId}`
          : lastSeqStatement(conversationId),
      ]);
      return {
        lastSeq: (rows?.[0]?.lastSeq as number | undefined) ?? null,
        seenSeq: (rows?.[0]?.seenSeq as number | null | undefined) ?? null,
      };
    },
    async seenClientMessage(conversationId, clientMessageId) {
      const [rows] = await batch([seenStatement(conversationId, clientMessageId)]);
      return (rows?.[0]?.seq as number | undefined) ?? null;
    },
    async history(conversationId, limit) {
      const [rows] = await batch([historyStatement(conversationId, limit)]);
      return historyOf(rows);
    },
    async historyAndLastSeq(conversationId, limit, clientMessageId) {
      const [rows, seq, seen] = await batch([
        historyStatement(conversationId, limit),
        lastSeqStatement(conversationId),
        ...(clientMessageId ? [seenStatement(conversationId, clientMessageId)] : []),
      ]);
      return {
        history: historyOf(rows),
        lastSeq: (seq?.[0]?.lastSeq as number | undefined) ?? null,
        seenSeq: (seen?.[0]?.seq as number | undefined) ?? null,
      };
    },
    async findContact(channel, externalId) {
      const [rows] = await batch([contactStatement(channel, externalId)]);
      return contactOf(rows);
    },
    async resolveContact(input) {
      const { channel, externalId, now } = input;
      const phone = input.verified?.phone ? `+${input.verified.phone.replace(/\D/g, "")}` : null;
      const email = input.verified?.email?.trim() || null;
      const keys: SqlText[] = [];
      if (phone && phone.length > 1) {
        keys.push(sql`(phone IS NOT NULL AND regexp_replace(phone, '[^0-9]', '', 'g') = ${phone.slice(1)})`);
      }
      if (email) keys.push(sql`(email IS NOT NULL AND lower(email) = lower(${email}))`);
      // The oldest contact with a verified key in common (served by contacts_tenant_phone_digits / _email_lower).
      const linkable =
        keys.length === 0
          ? sql`NULL::text`
          : sql`(SELECT id FROM contacts WHERE tenant_id = ${tenantId} AND (${joinSql(keys, " OR ")})
              ORDER BY created_at, id LIMIT 1)`;
      const identityExists = sql`EXISTS (SELECT 1 FROM contact_identities WHERE tenant_id = ${tenantId}
        AND channel = ${channel} AND external_id = ${externalId})`;
      const results = await batch([
        sql`INSERT INTO contacts (id, tenant_id, display_name, phone, email, created_at, updated_at, last_seen_at)
          SELECT ${input.contactId}, ${tenantId}, ${input.displayName}, ${phone}, ${email}, ${now}, ${now}, ${now}
          WHERE NOT ${identityExists} AND ${linkable} IS NULL`,
        sql`INSERT INTO contact_identities (id, tenant_id, contact_id, channel, external_id, created_at)
          SELECT ${input.identityId}, ${tenantId}, COALESCE(${linkable}, ${input.contactId}), ${channel},
            ${externalId}, ${now}
          WHERE NOT ${identityExists}
          ON CONFLICT (tenant_id, channel, external_id) DO NOTHING`,
        // Lost the race: the other transaction's identity stands, this contact has no identity.
        sql`DELETE FROM contacts WHERE tenant_id = ${tenantId} AND id = ${input.contactId}
          AND NOT EXISTS (SELECT 1 FROM contact_identities WHERE tenant_id = ${tenantId}
            AND contact_id = ${input.contactId})`,
        phone || email
          ? sql`UPDATE contacts SET phone = COALESCE(phone, ${phone}), email = COALESCE(email, ${email}),
              updated_at = ${now}
            WHERE tenant_id = ${tenantId} AND (phone IS NULL OR email IS NULL)
              AND id = (SELECT contact_id FROM contact_identities WHERE tenant_id = ${tenantId}
                AND channel = ${channel} AND external_id = ${externalId})`
          : sql`SELECT 1`,
        contactStatement(channel, externalId),
      ]);
      const contact = contactOf(results[4]);
      if (!contact) throw new Error(`contact identity ${channel}:${externalId} vanished while resolved`);
      return contact;
    },
    async appendAnalytics(events) {
      if (events.length === 0) return;
      const rows = events.map((event) => ({
        type: event.type,
        bot_id: event.botId ?? null,
        conversation_id: event.conversationId ?? null,
        properties: event.properties,
        occurred_at: event.occurredAt.toISOString(),
      }));
      // A UUIDv7 per row (48-bit milliseconds, version and variant bits over random bytes): the
      // index on id stays append-only, as for ids made by the application.
      // The same statement writes their events for the stream (analytics.events.v1, transactional
      // outbox; the event id is the row's id; keyed by conversation, else by tenant).
      await batch([
        sql`WITH inserted AS (
            INSERT INTO analytics_events (id, tenant_id, type, bot_id, conversation_id, properties, occurred_at)
            SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
                substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
                52, 1), 53, 1), 'hex')::uuid::text,
              ${tenantId}, e.type, e.bot_id, e.conversation_id, coalesce(e.properties, '{}'::jsonb), e.occurred_at
            FROM jsonb_to_recordset(${rows}) AS e(type text, bot_id text, conversation_id text,
              properties jsonb, occurred_at timestamptz)
            RETURNING id, type, bot_id, conversation_id, properties, occurred_at
          )
          INSERT INTO outbox (event_id, topic, tenant_id, key, payload)
          SELECT i.id::uuid, 'analytics.events.v1', ${tenantId}, coalesce(i.conversation_id, ${tenantId}),
            jsonb_build_object('id', i.id, 'version', 1, 'tenantId', ${tenantId}, 'conversationId', i.conversation_id,
              'botId', i.bot_id, 'occurredAt', to_jsonb(i.occurred_at), 'type', i.type,
              'data', jsonb_build_object('analyticsEventId', i.id, 'properties', i.properties))
          FROM inserted i ORDER BY i.id`,
      ]);
    },
    async commit(commit) {
      const thread = threadStatement(tenantId, commit);
      const event = channelEventStatement(tenantId, commit);
      let rows: BatchRows | undefined;
      try {
        [rows] = await batch([
          turnCommitStatement(tenantId, commit),
          ...(thread ? [thread] : []),
          ...(event ? [event] : []),
        ]);
      } catch (error) {
        // Rolled back whole: nothing of the step was written.
        if (isDuplicateClientMessage(error)) return { committed: false, duplicate: true };
        throw error;
      }
      const outcome = rows?.[0]?.outcome as { committed: boolean } | undefined;
      return { committed: outcome?.committed === true };
    },
  };
}

/** The unique index on a conversation's client message ids refused a message (a resend). */
function isDuplicateClientMessage(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && constraint === "messages_client_message_id_key";
}
