-- Since 0.2 (issue 14): series management. Every N weeks, count-limited series, change
-- from a date on (old + new series, linked), pauses.

ALTER TABLE "recurring_bookings"
  ADD COLUMN "interval_weeks" INTEGER NOT NULL DEFAULT 1,
  ADD COLUMN "occurrences" INTEGER,
  ADD COLUMN "replaces_id" UUID,
  ADD CONSTRAINT "recurring_bookings_interval_weeks_check" CHECK ("interval_weeks" BETWEEN 1 AND 12),
  ADD CONSTRAINT "recurring_bookings_occurrences_check" CHECK ("occurrences" BETWEEN 1 AND 520),
  ADD CONSTRAINT "recurring_bookings_replaces_id_fkey" FOREIGN KEY ("replaces_id") REFERENCES "recurring_bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A series is replaced at most once: the second of two concurrent changes fails here too.
CREATE UNIQUE INDEX "recurring_bookings_replaces_id_key" ON "recurring_bookings"("replaces_id");

-- Occurrences of a count-limited series the studio took away before a session existed
-- (generation skipped them: a block, a clash). Keyed per occurrence so repeated runs make
-- each up exactly once; generation does not retry them (the make-up at the end replaces them).
CREATE TABLE "series_taken_away" (
    "recurring_booking_id" UUID NOT NULL,
    "occurrence_start" TIMESTAMPTZ(3) NOT NULL,
    "local_date" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "series_taken_away_pkey" PRIMARY KEY ("recurring_booking_id", "occurrence_start"),
    CONSTRAINT "series_taken_away_recurring_booking_id_fkey" FOREIGN KEY ("recurring_booking_id") REFERENCES "recurring_bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Dates (inclusive, the series' timezone) on which a series holds no session.
CREATE TABLE "series_pauses" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "recurring_booking_id" UUID NOT NULL,
    "from_date" DATE NOT NULL,
    "to_date" DATE NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,

    CONSTRAINT "series_pauses_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "series_pauses_dates_check" CHECK ("to_date" >= "from_date"),
    CONSTRAINT "series_pauses_recurring_booking_id_fkey" FOREIGN KEY ("recurring_booking_id") REFERENCES "recurring_bookings"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "series_pauses_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "series_pauses_recurring_booking_id_from_date_idx" ON "series_pauses"("recurring_booking_id", "from_date");

-- Webhook payloads: the RecurringBooking type's fields, the new ones included.
CREATE OR REPLACE FUNCTION "webhook_series_json"(b "recurring_bookings") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', b."id", 'member', jsonb_build_object('id', b."member_id"), 'coach', jsonb_build_object('id', b."coach_id"),
    'room', jsonb_build_object('id', b."room_id"), 'dayOfWeek', b."day_of_week",
    'startTime', "webhook_local_time"(b."start_minute"), 'endTime', "webhook_local_time"(b."end_minute"),
    'timezone', b."timezone", 'startDate', to_char(b."start_date", 'YYYY-MM-DD'), 'endDate', to_char(b."end_date", 'YYYY-MM-DD'),
    'status', b."status", 'priceCents', b."price_cents", 'createdAt', "webhook_iso"(b."created_at"), 'cancelledAt', "webhook_iso"(b."cancelled_at"),
    'intervalWeeks', b."interval_weeks", 'occurrences', b."occurrences",
    'pauses', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', p."id", 'from', to_char(p."from_date", 'YYYY-MM-DD'), 'to', to_char(p."to_date", 'YYYY-MM-DD'),
                                                   'reason', p."reason", 'createdAt', "webhook_iso"(p."created_at")) ORDER BY p."from_date", p."id")
                        FROM "series_pauses" p WHERE p."recurring_booking_id" = b."id"), '[]'::jsonb),
    'replaces', CASE WHEN b."replaces_id" IS NULL THEN NULL ELSE jsonb_build_object('id', b."replaces_id") END,
    'replacedBy', (SELECT jsonb_build_object('id', r."id") FROM "recurring_bookings" r WHERE r."replaces_id" = b."id"))
$$;

-- A series that continues another (changeRecurringBooking) is RECURRING_BOOKING_CHANGED,
-- not CREATED: one event per change, carrying the new series (replaces names the old).
CREATE OR REPLACE FUNCTION "webhook_series_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('RECURRING_BOOKING_CREATED', (
    SELECT jsonb_agg("webhook_series_json"(n) ORDER BY n."created_at", n."id") FROM new_rows n WHERE n."replaces_id" IS NULL));
  PERFORM "webhook_enqueue"('RECURRING_BOOKING_CHANGED', (
    SELECT jsonb_agg("webhook_series_json"(n) ORDER BY n."created_at", n."id") FROM new_rows n WHERE n."replaces_id" IS NOT NULL));
  RETURN NULL;
END
$$;
