-- Hand-written: tenant webhooks come from the event stream (docs/events.md). Runs in one transaction.
-- parley_commit_step no longer records webhook deliveries itself (step.events is ignored): the outbox
-- relay's consumer group `parley.webhooks` turns relayed events into deliveries, exactly once per event
-- (its writes commit with the group's offset).
--
-- Switching over without delivering anything twice: every outbox row written before this migration
-- already had its deliveries recorded by the old function. They are sequenced here, as the relay's
-- leader does (under the relay state row lock, in id order), and the new group starts after them.

-- The leader's sequencing locks this row FOR UPDATE: wait for a pass in flight, keep the next one out.
LOCK TABLE outbox_relay_state IN EXCLUSIVE MODE;

WITH next AS (
  SELECT o.id, (SELECT last_position FROM outbox_relay_state WHERE id = 1) + row_number() OVER (ORDER BY o.id)
    AS position
  FROM outbox o WHERE o.position IS NULL
)
UPDATE outbox o SET position = next.position FROM next WHERE o.id = next.id;

UPDATE outbox_relay_state
SET last_position = GREATEST(last_position, (SELECT COALESCE(max(position), 0) FROM outbox)), updated_at = now()
WHERE id = 1;

-- (A database that never relayed anything needs no offset: the group starts at the beginning.)
INSERT INTO outbox_consumer_offsets (group_id, position)
SELECT 'parley.webhooks', last_position FROM outbox_relay_state WHERE id = 1 AND last_position > 0
ON CONFLICT (group_id) DO NOTHING;

CREATE OR REPLACE FUNCTION parley_commit_step(step jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  tenant text := step->>'tenant_id';
  conversation text := step->>'conversation_id';
  changes jsonb := step->'set';
  created jsonb := step->'create';
  at timestamptz := (changes->>'last_activity_at')::timestamptz;
  written integer;
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
    RETURN jsonb_build_object('committed', false);
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

  RETURN jsonb_build_object('committed', true);
END
$$;

