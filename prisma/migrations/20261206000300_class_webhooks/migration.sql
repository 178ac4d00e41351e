-- Webhooks for classes (issue 23), written by statement triggers in the transaction of the
-- change like the session ones: every path (services, the waitlist worker, generation's
-- set-based writes) produces them, and a studio with no endpoint for a type pays one EXISTS.

CREATE OR REPLACE FUNCTION "webhook_enqueue"(p_type "WebhookEventType", p_events JSONB) RETURNS VOID LANGUAGE plpgsql AS $$
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
    WHEN 'CLASS_SESSION_CREATED' THEN 'class_session.created'
    WHEN 'CLASS_SESSION_CANCELLED' THEN 'class_session.cancelled'
    WHEN 'CLASS_SESSION_CAPACITY_CHANGED' THEN 'class_session.capacity_changed'
    WHEN 'ENROLLMENT_CREATED' THEN 'enrollment.created'
    WHEN 'ENROLLMENT_CHANGED' THEN 'enrollment.changed'
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

-- The ClassSession type's fields (places as counted when the statement ends); relations as {"id": ...}.
CREATE FUNCTION "webhook_class_json"(c "class_sessions") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', c."id", 'classType', jsonb_build_object('id', c."class_type_id"),
    'schedule', CASE WHEN c."schedule_id" IS NULL THEN NULL ELSE jsonb_build_object('id', c."schedule_id") END,
    'coach', jsonb_build_object('id', c."coach_id"), 'room', jsonb_build_object('id', c."room_id"),
    'startTime', "webhook_iso"(c."start_time"), 'endTime', "webhook_iso"(c."end_time"), 'status', c."status",
    'cancellationReason', c."cancellation_reason", 'capacity', c."capacity",
    'bookedCount', (SELECT count(*) FROM "enrollments" e WHERE e."class_session_id" = c."id" AND e."status" IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW')),
    'waitlistCount', (SELECT count(*) FROM "enrollments" e WHERE e."class_session_id" = c."id" AND e."status" = 'WAITLISTED'))
$$;

-- The Enrollment type's fields.
CREATE FUNCTION "webhook_enrollment_json"(e "enrollments") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', e."id", 'session', jsonb_build_object('id', e."class_session_id"), 'member', jsonb_build_object('id', e."member_id"),
    'status', e."status", 'offerExpiresAt', "webhook_iso"(e."offer_expires_at"),
    'standingReservation', CASE WHEN e."standing_reservation_id" IS NULL THEN NULL ELSE jsonb_build_object('id', e."standing_reservation_id") END,
    'createdAt', "webhook_iso"(e."created_at"))
$$;

CREATE FUNCTION "webhook_classes_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "webhook_wanted"('CLASS_SESSION_CREATED') THEN RETURN NULL; END IF;
  PERFORM "webhook_enqueue"('CLASS_SESSION_CREATED', (SELECT jsonb_agg("webhook_class_json"(n) ORDER BY n."start_time", n."id") FROM new_rows n));
  RETURN NULL;
END
$$;

CREATE FUNCTION "webhook_classes_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF "webhook_wanted"('CLASS_SESSION_CANCELLED') THEN
    PERFORM "webhook_enqueue"('CLASS_SESSION_CANCELLED', (
      SELECT jsonb_agg("webhook_class_json"(n) ORDER BY n."start_time", n."id")
      FROM new_rows n JOIN old_rows o ON o."id" = n."id" WHERE n."status" = 'CANCELLED' AND o."status" <> 'CANCELLED'));
  END IF;
  IF "webhook_wanted"('CLASS_SESSION_CAPACITY_CHANGED') THEN
    PERFORM "webhook_enqueue"('CLASS_SESSION_CAPACITY_CHANGED', (
      SELECT jsonb_agg("webhook_class_json"(n) || jsonb_build_object('previousCapacity', o."capacity") ORDER BY n."start_time", n."id")
      FROM new_rows n JOIN old_rows o ON o."id" = n."id" WHERE n."capacity" <> o."capacity"));
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "webhook_enrollments_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "webhook_wanted"('ENROLLMENT_CREATED') THEN RETURN NULL; END IF;
  PERFORM "webhook_enqueue"('ENROLLMENT_CREATED', (SELECT jsonb_agg("webhook_enrollment_json"(n) ORDER BY n."joined_at", n."arrival") FROM new_rows n));
  RETURN NULL;
END
$$;

-- A status change; previousStatus says from what.
CREATE FUNCTION "webhook_enrollments_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "webhook_wanted"('ENROLLMENT_CHANGED') THEN RETURN NULL; END IF;
  PERFORM "webhook_enqueue"('ENROLLMENT_CHANGED', (
    SELECT jsonb_agg("webhook_enrollment_json"(n) || jsonb_build_object('previousStatus', o."status") ORDER BY n."joined_at", n."arrival")
    FROM new_rows n JOIN old_rows o ON o."id" = n."id" WHERE n."status" <> o."status"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "class_sessions_webhooks_insert" AFTER INSERT ON "class_sessions"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_classes_inserted"();
CREATE TRIGGER "class_sessions_webhooks_update" AFTER UPDATE ON "class_sessions"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_classes_updated"();
CREATE TRIGGER "enrollments_webhooks_insert" AFTER INSERT ON "enrollments"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_enrollments_inserted"();
CREATE TRIGGER "enrollments_webhooks_update" AFTER UPDATE ON "enrollments"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_enrollments_updated"();
