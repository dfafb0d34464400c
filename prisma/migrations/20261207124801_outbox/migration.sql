-- Event stream: the transactional outbox (docs/events.md). Tables from schema.prisma (generated part above);
-- hand-written below: partial indexes, grants, row-level security, the relay state row, and
-- parley_commit_step writing the step's events (step.outbox: [{topic, key, payload}]) in the turn's
-- transaction. The runner wraps this file in one transaction; do not add BEGIN/COMMIT.

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "position" BIGINT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_relay_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "last_position" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_relay_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_consumer_offsets" (
    "group_id" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_consumer_offsets_pkey" PRIMARY KEY ("group_id")
);

-- CreateTable
CREATE TABLE "outbox_dead_letters" (
    "id" BIGSERIAL NOT NULL,
    "group_id" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbox_dead_letters_group_id_failed_at_idx" ON "outbox_dead_letters"("group_id", "failed_at");


-- Rows the relay has not sequenced yet (it reads them in id order), and the sequenced ones by position.
CREATE INDEX "outbox_unsequenced" ON "outbox"("id") WHERE "position" IS NULL;
CREATE UNIQUE INDEX "outbox_position" ON "outbox"("position") WHERE "position" IS NOT NULL;

INSERT INTO outbox_relay_state (id, last_position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- Tenant transactions (parley_app) append events; the relay runs as the system role.
SELECT parley_secure_tenant_tables();
GRANT USAGE ON SEQUENCE outbox_id_seq TO parley_app;
REVOKE ALL ON outbox_dead_letters FROM parley_app;
GRANT SELECT ON outbox_dead_letters TO parley_app;

CREATE OR REPLACE FUNCTION parley_commit_step(step jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  tenant text := step->>'tenant_id';
  conversation text := step->>'conversation_id';
  changes jsonb := step->'set';
  created jsonb := step->'create';
  at timestamptz := (changes->>'last_activity_at')::timestamptz;
  written integer;
  deliveries jsonb := '[]'::jsonb;
BEGIN
  IF tenant IS NULL OR tenant = '' OR tenant IS DISTINCT FROM current_setting('app.tenant_id', true) THEN
    RAISE EXCEPTION 'parley_commit_step: the step''s tenant is not the transaction''s tenant'
      USING ERRCODE = 'PA003';
  END IF;
  IF jsonb_typeof(created) = 'object' THEN
    INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, contact_id, channel, status,
      variables, snapshot, last_seq, turn_count, metadata, started_at, last_activity_at, handoff_at, ended_at,
      updated_at, experiment_id, experiment_variant)
    VALUES (conversation, tenant, step->>'bot_id', created->>'flow_id', step->>'flow_version_id',
      created->>'contact_id', (created->>'channel')::channel, (changes->>'status')::conversation_status,
      COALESCE(changes->'variables', '{}'::jsonb), NULLIF(changes->'snapshot', 'null'::jsonb),
      (changes->>'last_seq')::integer, (changes->>'turn_count_increment')::integer,
      COALESCE(created->'metadata', '{}'::jsonb), (created->>'started_at')::timestamptz, at,
      (changes->>'handoff_at')::timestamptz, (changes->>'ended_at')::timestamptz, at,
      created->>'experiment_id', created->>'experiment_variant')
    ON CONFLICT (id) DO NOTHING;
  ELSE
    UPDATE conversations SET
      status = (changes->>'status')::conversation_status,
      last_seq = (changes->>'last_seq')::integer,
      last_activity_at = at,
      updated_at = at,
      turn_count = turn_count + (changes->>'turn_count_increment')::integer,
      snapshot = CASE WHEN changes ? 'snapshot' THEN NULLIF(changes->'snapshot', 'null'::jsonb) ELSE snapshot END,
      variables = CASE WHEN changes ? 'variables' THEN changes->'variables' ELSE variables END,
      handoff_at = COALESCE((changes->>'handoff_at')::timestamptz, handoff_at),
      ended_at = COALESCE((changes->>'ended_at')::timestamptz, ended_at)
    WHERE tenant_id = tenant AND id = conversation AND last_seq = (step->>'expected_last_seq')::integer;
  END IF;
  GET DIAGNOSTICS written = ROW_COUNT;
  IF written = 0 THEN
    RETURN jsonb_build_object('committed', false, 'deliveries', '[]'::jsonb);
  END IF;

  INSERT INTO messages (id, tenant_id, conversation_id, seq, author, author_user_id, payload, text, node_id,
    client_message_id, created_at)
  SELECT m.id, tenant, conversation, m.seq, m.author, m.author_user_id, m.payload, m.text, m.node_id,
    m.client_message_id, m.created_at
  FROM jsonb_to_recordset(step->'messages') AS m(id text, seq integer, author message_author,
    author_user_id text, payload jsonb, text text, node_id text, client_message_id text, created_at timestamptz);

  INSERT INTO analytics_events (id, tenant_id, type, bot_id, flow_version_id, conversation_id, properties,
    occurred_at)
  SELECT a.id, tenant, a.type, step->>'bot_id', step->>'flow_version_id', conversation, a.properties,
    a.occurred_at
  FROM jsonb_to_recordset(step->'analytics') AS a(id text, type text, properties jsonb, occurred_at timestamptz);

  IF jsonb_array_length(step->'events') > 0 THEN
    -- Delivery ids are made here: only the database knows which endpoints subscribe.
    WITH recorded AS (
      INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload, next_attempt_at)
      SELECT gen_random_uuid()::text, tenant, e.id, v.event_id, v.event_type, v.payload, v.occurred_at
      FROM jsonb_to_recordset(step->'events') AS v(event_id text, event_type text, payload jsonb,
        occurred_at timestamptz)
      JOIN webhook_endpoints e ON e.tenant_id = tenant AND e.enabled AND v.event_type = ANY(e.events)
      RETURNING id
    )
    SELECT COALESCE(jsonb_agg(id), '[]'::jsonb) INTO deliveries FROM recorded;
  END IF;

  IF jsonb_typeof(step->'contact') = 'object' THEN
    UPDATE contacts SET attributes = attributes || (step->'contact'->'attributes'), last_seen_at = at,
      updated_at = at
    WHERE tenant_id = tenant AND id = step->'contact'->>'contact_id';
  END IF;

  -- The step's events for the stream (transactional outbox), after the conversation row is locked by the
  -- INSERT/UPDATE above: ids of one conversation's rows follow commit order. One statement for all of them.
  INSERT INTO outbox (event_id, topic, tenant_id, key, payload)
  SELECT (o.value->'payload'->>'id')::uuid, o.value->>'topic', tenant, COALESCE(o.value->>'key', conversation),
    o.value->'payload'
  FROM jsonb_array_elements(step->'outbox') WITH ORDINALITY AS o(value, n)
  ORDER BY o.n;

  RETURN jsonb_build_object('committed', true, 'deliveries', deliveries);
END
$$;

