-- Since 0.2 (issue 15): calendar feeds, and the revision counter calendars need.

-- A session's revision grows with every change a calendar shows (status, time, room, people):
-- the feed's SEQUENCE. A trigger rather than application code, so every path that changes a
-- session (lifecycle, reschedule, generation, series changes to come) bumps it, and nothing
-- can lower it.
ALTER TABLE "training_sessions" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;

-- Existing sessions: one revision per status change after the first (their creation).
UPDATE "training_sessions" s
SET "revision" = GREATEST(0, (SELECT count(*) - 1 FROM "session_status_changes" c WHERE c."session_id" = s."id"));

CREATE FUNCTION "training_sessions_bump_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW."start_time", NEW."end_time", NEW."status", NEW."room_id", NEW."coach_id", NEW."member_id")
     IS DISTINCT FROM (OLD."start_time", OLD."end_time", OLD."status", OLD."room_id", OLD."coach_id", OLD."member_id") THEN
    NEW."revision" := OLD."revision" + 1;
  ELSE
    NEW."revision" := OLD."revision";
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "training_sessions_revision" BEFORE UPDATE ON "training_sessions"
FOR EACH ROW EXECUTE FUNCTION "training_sessions_bump_revision"();

-- One feed per person. The URL's secret (32 random bytes) is found by its SHA-256; the
-- secret itself is kept only sealed (AES-256-GCM under a key derived from JWT_SECRET) so
-- calendarFeed can show the URL again without the table alone revealing it.
CREATE TABLE "calendar_feeds" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "secret_sealed" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_feeds_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "calendar_feeds_user_id_key" ON "calendar_feeds"("user_id");
CREATE UNIQUE INDEX "calendar_feeds_secret_hash_key" ON "calendar_feeds"("secret_hash");

ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Webhooks ------------------------------------------------------------------------------

CREATE TYPE "WebhookEventType" AS ENUM (
  'SESSION_CREATED', 'SESSION_CANCELLED', 'SESSION_RESCHEDULED', 'SESSION_COMPLETED', 'SESSION_NO_SHOW',
  'RECURRING_BOOKING_CREATED', 'RECURRING_BOOKING_CANCELLED', 'RECURRING_BOOKING_CHANGED',
  'CHARGE_CREATED', 'GENERATION_RUN_FINISHED'
);

-- An owner's receiver. The signing secret is kept sealed (AES-256-GCM, key from JWT_SECRET);
-- during a rotation the previous one signs too until previous_secret_expires_at.
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "events" "WebhookEventType"[] NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret_sealed" BYTEA NOT NULL,
    "previous_secret_sealed" BYTEA,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    -- The first failed attempt since the last success: five days of failures disable the endpoint.
    "failing_since" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_endpoints_events_not_empty" CHECK (cardinality("events") > 0)
);

-- One event for one endpoint. Its id is the webhook-id header and `body` the exact bytes
-- signed, both the same on every retry; status and attempts live on its outbox row
-- (channel WEBHOOK), which a redelivery replaces; purging old outbox rows purges their deliveries.
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_id" UUID NOT NULL,
    "event_type" "WebhookEventType" NOT NULL,
    "body" TEXT NOT NULL,
    "outbox_message_id" UUID NOT NULL,
    "last_attempt_at" TIMESTAMPTZ(3),
    "response_status" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");
CREATE UNIQUE INDEX "webhook_deliveries_outbox_message_id_key" ON "webhook_deliveries"("outbox_message_id");

ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_outbox_message_id_fkey" FOREIGN KEY ("outbox_message_id") REFERENCES "outbox_messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Events are written by triggers, in the transaction of the change: every path that changes
-- a session, a series or a run (today's services, generation's set-based writes, features to
-- come) produces them, and they exist exactly when the change commits. Statement-level
-- triggers with transition tables keep bulk writes set-based; with no enabled endpoint
-- listening for the type, the cost is one indexed EXISTS per statement.

-- JavaScript's toISOString(): what the GraphQL DateTime scalar sends.
CREATE FUNCTION "webhook_iso"(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- "HH:MM" of a wall-clock minute, as the LocalTime scalar (24:00 shows as 23:59, as in the API).
CREATE FUNCTION "webhook_local_time"(m INTEGER) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT lpad((LEAST(m, 1439) / 60)::text, 2, '0') || ':' || lpad((LEAST(m, 1439) % 60)::text, 2, '0')
$$;

-- A delivery and its outbox row per (event, endpoint listening for the type); wakes the workers at commit.
CREATE FUNCTION "webhook_enqueue"(p_type "WebhookEventType", p_events JSONB) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  v_name TEXT := CASE p_type
    WHEN 'SESSION_CREATED' THEN 'session.created'
    WHEN 'SESSION_CANCELLED' THEN 'session.cancelled'
    WHEN 'SESSION_RESCHEDULED' THEN 'session.rescheduled'
    WHEN 'SESSION_COMPLETED' THEN 'session.completed'
    WHEN 'SESSION_NO_SHOW' THEN 'session.no_show'
    WHEN 'RECURRING_BOOKING_CREATED' THEN 'recurring_booking.created'
    WHEN 'RECURRING_BOOKING_CANCELLED' THEN 'recurring_booking.cancelled'
    WHEN 'RECURRING_BOOKING_CHANGED' THEN 'recurring_booking.changed'
    WHEN 'CHARGE_CREATED' THEN 'charge.created'
    WHEN 'GENERATION_RUN_FINISHED' THEN 'generation_run.finished'
  END;
BEGIN
  IF p_events IS NULL OR jsonb_array_length(p_events) = 0 THEN RETURN; END IF;
  IF NOT EXISTS (SELECT 1 FROM "webhook_endpoints" WHERE "enabled" AND p_type = ANY("events")) THEN RETURN; END IF;
  WITH src AS (
    SELECT gen_random_uuid() AS delivery_id, gen_random_uuid() AS outbox_id, e."id" AS endpoint_id,
           jsonb_build_object('type', v_name, 'timestamp', "webhook_iso"(now()), 'data', x.data)::text AS body
    FROM "webhook_endpoints" e CROSS JOIN jsonb_array_elements(p_events) AS x(data)
    WHERE e."enabled" AND p_type = ANY(e."events")
  ), outbox AS (
    INSERT INTO "outbox_messages" ("id", "channel", "payload", "dedupe_key")
    SELECT outbox_id, 'WEBHOOK', jsonb_build_object('deliveryId', delivery_id), 'webhook:' || delivery_id || ':0' FROM src
  )
  INSERT INTO "webhook_deliveries" ("id", "endpoint_id", "event_type", "body", "outbox_message_id")
  SELECT delivery_id, endpoint_id, p_type, body, outbox_id FROM src;
  PERFORM pg_notify('outbox_wake', '');
END
$$;

-- The TrainingSession type's fields; relations as {"id": ...}.
CREATE FUNCTION "webhook_session_json"(s "training_sessions") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', s."id", 'coach', jsonb_build_object('id', s."coach_id"), 'member', jsonb_build_object('id', s."member_id"),
    'room', jsonb_build_object('id', s."room_id"), 'startTime', "webhook_iso"(s."start_time"), 'endTime', "webhook_iso"(s."end_time"),
    'status', s."status",
    'recurringBooking', CASE WHEN s."recurring_booking_id" IS NULL THEN NULL ELSE jsonb_build_object('id', s."recurring_booking_id") END,
    'occurrenceStart', "webhook_iso"(s."occurrence_start"), 'cancelledAt', "webhook_iso"(s."cancelled_at"),
    'cancellationReason', s."cancellation_reason", 'completedAt', "webhook_iso"(s."completed_at"))
$$;

CREATE FUNCTION "webhook_sessions_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('SESSION_CREATED', (SELECT jsonb_agg("webhook_session_json"(n) ORDER BY n."start_time", n."id") FROM new_rows n));
  RETURN NULL;
END
$$;

CREATE FUNCTION "webhook_sessions_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "webhook_endpoints" WHERE "enabled") THEN RETURN NULL; END IF;
  PERFORM "webhook_enqueue"(t.type, t.events)
  FROM (
    SELECT CASE n."status" WHEN 'CANCELLED' THEN 'SESSION_CANCELLED' WHEN 'COMPLETED' THEN 'SESSION_COMPLETED' ELSE 'SESSION_NO_SHOW' END::"WebhookEventType" AS type,
           jsonb_agg("webhook_session_json"(n) ORDER BY n."start_time", n."id") AS events
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."status" IS DISTINCT FROM o."status" AND n."status" <> 'SCHEDULED'
    GROUP BY 1
    UNION ALL
    SELECT 'SESSION_RESCHEDULED'::"WebhookEventType", jsonb_agg("webhook_session_json"(n) ORDER BY n."start_time", n."id")
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."status" = o."status" AND (n."start_time", n."end_time") IS DISTINCT FROM (o."start_time", o."end_time")
    HAVING count(*) > 0
  ) t;
  RETURN NULL;
END
$$;

CREATE TRIGGER "training_sessions_webhooks_insert" AFTER INSERT ON "training_sessions"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_sessions_inserted"();
CREATE TRIGGER "training_sessions_webhooks_update" AFTER UPDATE ON "training_sessions"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_sessions_updated"();

-- The RecurringBooking type's fields (no sessions: a list, not part of the event).
CREATE FUNCTION "webhook_series_json"(b "recurring_bookings") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', b."id", 'member', jsonb_build_object('id', b."member_id"), 'coach', jsonb_build_object('id', b."coach_id"),
    'room', jsonb_build_object('id', b."room_id"), 'dayOfWeek', b."day_of_week",
    'startTime', "webhook_local_time"(b."start_minute"), 'endTime', "webhook_local_time"(b."end_minute"),
    'timezone', b."timezone", 'startDate', to_char(b."start_date", 'YYYY-MM-DD'), 'endDate', to_char(b."end_date", 'YYYY-MM-DD'),
    'status', b."status", 'priceCents', b."price_cents", 'createdAt', "webhook_iso"(b."created_at"), 'cancelledAt', "webhook_iso"(b."cancelled_at"))
$$;

CREATE FUNCTION "webhook_series_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('RECURRING_BOOKING_CREATED', (SELECT jsonb_agg("webhook_series_json"(n) ORDER BY n."created_at", n."id") FROM new_rows n));
  RETURN NULL;
END
$$;

CREATE FUNCTION "webhook_series_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('RECURRING_BOOKING_CANCELLED', (
    SELECT jsonb_agg("webhook_series_json"(n) ORDER BY n."created_at", n."id")
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."status" = 'CANCELLED' AND o."status" <> 'CANCELLED'));
  RETURN NULL;
END
$$;

CREATE TRIGGER "recurring_bookings_webhooks_insert" AFTER INSERT ON "recurring_bookings"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_series_inserted"();
CREATE TRIGGER "recurring_bookings_webhooks_update" AFTER UPDATE ON "recurring_bookings"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_series_updated"();

-- The GenerationRun type's fields; a run is finished when it leaves RUNNING (or is recorded finished).
CREATE FUNCTION "webhook_run_json"(r "generation_runs") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', r."id", 'trigger', r."trigger", 'status', r."status", 'startedAt', "webhook_iso"(r."started_at"),
    'finishedAt', "webhook_iso"(r."finished_at"), 'totalGenerated', r."total_generated",
    'fromRecurringBookings', r."from_recurring_bookings", 'markedCompleted', r."marked_completed",
    'skippedBlocked', r."skipped_blocked", 'skippedConflicts', r."skipped_conflicts", 'error', r."error")
$$;

CREATE FUNCTION "webhook_runs_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('GENERATION_RUN_FINISHED', (
    SELECT jsonb_agg("webhook_run_json"(n) ORDER BY n."started_at", n."id") FROM new_rows n WHERE n."status" <> 'RUNNING'));
  RETURN NULL;
END
$$;

CREATE FUNCTION "webhook_runs_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('GENERATION_RUN_FINISHED', (
    SELECT jsonb_agg("webhook_run_json"(n) ORDER BY n."started_at", n."id")
    FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE o."status" = 'RUNNING' AND n."status" <> 'RUNNING'));
  RETURN NULL;
END
$$;

CREATE TRIGGER "generation_runs_webhooks_insert" AFTER INSERT ON "generation_runs"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_runs_inserted"();
CREATE TRIGGER "generation_runs_webhooks_update" AFTER UPDATE ON "generation_runs"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_runs_updated"();
