-- Release 0.3 (issue 23): group classes, standing reservations, waitlists.
-- The rules the database keeps, whatever a writer does:
--   * no coach teaches two things at once and no member holds two overlapping things
--     (training sessions, classes, BOOKED/OFFERED enrollments): one busy_times table with
--     exclusion constraints, kept by statement triggers on the tables that make people busy;
--   * a class never holds more members than its capacity, nor more waitlisted than its
--     waitlist capacity (a constraint trigger counts the classes a statement touched);
--   * one active enrollment per (class, member).

CREATE TYPE "EnrollmentStatus" AS ENUM ('BOOKED', 'WAITLISTED', 'OFFERED', 'CANCELLED', 'LATE_CANCELLED', 'ATTENDED', 'NO_SHOW', 'EXPIRED');
CREATE TYPE "ClassScheduleStatus" AS ENUM ('ACTIVE', 'CANCELLED', 'ENDED');

-- Waitlist policy. NULL cutoff: the late-cancel window plus 60 minutes (so a promoted member
-- can still cancel free). Quiet hours: wall-clock minutes in the studio's timezone; both or neither.
ALTER TABLE "studio_settings"
  ADD COLUMN "auto_promote_cutoff_minutes" INTEGER,
  ADD COLUMN "offer_minutes" INTEGER NOT NULL DEFAULT 30,
  ADD COLUMN "quiet_hours_start_minute" INTEGER,
  ADD COLUMN "quiet_hours_end_minute" INTEGER,
  ADD CONSTRAINT "studio_settings_auto_promote_cutoff" CHECK ("auto_promote_cutoff_minutes" BETWEEN 0 AND 20160),
  ADD CONSTRAINT "studio_settings_offer_minutes" CHECK ("offer_minutes" BETWEEN 5 AND 720),
  ADD CONSTRAINT "studio_settings_quiet_hours" CHECK (
    ("quiet_hours_start_minute" IS NULL) = ("quiet_hours_end_minute" IS NULL)
    AND "quiet_hours_start_minute" BETWEEN 0 AND 1439 AND "quiet_hours_end_minute" BETWEEN 0 AND 1439
    AND "quiet_hours_start_minute" <> "quiet_hours_end_minute");

CREATE TABLE "class_types" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "name" TEXT NOT NULL,
  "description" TEXT,
  "duration_minutes" INTEGER NOT NULL,
  "capacity" INTEGER NOT NULL,
  "waitlist_capacity" INTEGER NOT NULL DEFAULT 0,
  "price_cents" INTEGER,
  "credits_per_class" INTEGER NOT NULL DEFAULT 1,
  "archived" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "class_types_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "class_types_duration" CHECK ("duration_minutes" BETWEEN 15 AND 480),
  CONSTRAINT "class_types_capacity" CHECK ("capacity" BETWEEN 1 AND 500),
  CONSTRAINT "class_types_waitlist_capacity" CHECK ("waitlist_capacity" BETWEEN 0 AND 500),
  CONSTRAINT "class_types_price_cents" CHECK ("price_cents" BETWEEN 0 AND 100000000),
  CONSTRAINT "class_types_credits_per_class" CHECK ("credits_per_class" BETWEEN 0 AND 10)
);
-- Names are unique among the types in use (an archived name can be used again).
CREATE UNIQUE INDEX "class_types_name_key" ON "class_types" (lower("name")) WHERE NOT "archived";

-- "Every <dayOfWeek> <start>-<end>" in wall-clock minutes of `timezone`, as recurring bookings.
CREATE TABLE "class_schedules" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "class_type_id" UUID NOT NULL,
  "coach_id" UUID NOT NULL,
  "room_id" UUID NOT NULL,
  "day_of_week" INTEGER NOT NULL,
  "start_minute" INTEGER NOT NULL,
  "end_minute" INTEGER NOT NULL,
  "timezone" TEXT NOT NULL,
  "start_date" DATE NOT NULL,
  "end_date" DATE,
  "capacity" INTEGER NOT NULL,
  "status" "ClassScheduleStatus" NOT NULL DEFAULT 'ACTIVE',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "cancelled_at" TIMESTAMPTZ(3),
  "cancellation_reason" TEXT,
  CONSTRAINT "class_schedules_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "class_schedules_class_type_id_fkey" FOREIGN KEY ("class_type_id") REFERENCES "class_types"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_schedules_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_schedules_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_schedules_slot" CHECK ("day_of_week" BETWEEN 0 AND 6 AND "start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"),
  CONSTRAINT "class_schedules_dates" CHECK ("end_date" IS NULL OR "end_date" >= "start_date"),
  CONSTRAINT "class_schedules_capacity" CHECK ("capacity" BETWEEN 1 AND 500)
);
CREATE INDEX "class_schedules_status_idx" ON "class_schedules" ("status");
CREATE INDEX "class_schedules_coach_id_idx" ON "class_schedules" ("coach_id", "status");

-- A class. Its capacities, price and credits are fixed when it is created, like a training
-- session's price: later changes to the type or schedule never touch existing classes.
CREATE TABLE "class_sessions" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "class_type_id" UUID NOT NULL,
  "schedule_id" UUID,
  "occurrence_start" TIMESTAMPTZ(3),
  "coach_id" UUID NOT NULL,
  "room_id" UUID NOT NULL,
  "start_time" TIMESTAMPTZ(3) NOT NULL,
  "end_time" TIMESTAMPTZ(3) NOT NULL,
  "status" "SessionStatus" NOT NULL DEFAULT 'SCHEDULED',
  "capacity" INTEGER NOT NULL,
  "waitlist_capacity" INTEGER NOT NULL,
  "price_cents" INTEGER,
  "credits_per_class" INTEGER NOT NULL,
  "cancelled_at" TIMESTAMPTZ(3),
  "cancellation_reason" TEXT,
  "completed_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "class_sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "class_sessions_class_type_id_fkey" FOREIGN KEY ("class_type_id") REFERENCES "class_types"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_sessions_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "class_schedules"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_sessions_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_sessions_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT,
  CONSTRAINT "class_sessions_range" CHECK ("start_time" < "end_time"),
  CONSTRAINT "class_sessions_status" CHECK ("status" <> 'NO_SHOW'),
  CONSTRAINT "class_sessions_capacity" CHECK ("capacity" BETWEEN 1 AND 500),
  CONSTRAINT "class_sessions_waitlist_capacity" CHECK ("waitlist_capacity" BETWEEN 0 AND 500),
  CONSTRAINT "class_sessions_price_cents" CHECK ("price_cents" BETWEEN 0 AND 100000000),
  CONSTRAINT "class_sessions_credits_per_class" CHECK ("credits_per_class" BETWEEN 0 AND 10),
  CONSTRAINT "class_sessions_occurrence" CHECK (("schedule_id" IS NULL) = ("occurrence_start" IS NULL))
);
-- Generation's idempotency key, as for training sessions: (schedule, occurrence start).
CREATE UNIQUE INDEX "class_sessions_schedule_id_occurrence_start_key" ON "class_sessions" ("schedule_id", "occurrence_start");
CREATE INDEX "class_sessions_start_time_idx" ON "class_sessions" ("start_time", "id");
CREATE INDEX "class_sessions_coach_id_start_time_idx" ON "class_sessions" ("coach_id", "start_time");
CREATE INDEX "class_sessions_room_id_start_time_idx" ON "class_sessions" ("room_id", "start_time");
CREATE INDEX "class_sessions_status_end_time_idx" ON "class_sessions" ("status", "end_time");

-- A member's place in a weekly class, every week from start_date (to end_date).
CREATE TABLE "standing_reservations" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "member_id" UUID NOT NULL,
  "schedule_id" UUID NOT NULL,
  "start_date" DATE NOT NULL,
  "end_date" DATE,
  "status" "RecurringBookingStatus" NOT NULL DEFAULT 'ACTIVE',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "cancelled_at" TIMESTAMPTZ(3),
  CONSTRAINT "standing_reservations_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "standing_reservations_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "users"("id") ON DELETE RESTRICT,
  CONSTRAINT "standing_reservations_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "class_schedules"("id") ON DELETE RESTRICT,
  CONSTRAINT "standing_reservations_dates" CHECK ("end_date" IS NULL OR "end_date" >= "start_date")
);
-- One active reservation per member and schedule.
CREATE UNIQUE INDEX "standing_reservations_active_key" ON "standing_reservations" ("schedule_id", "member_id") WHERE "status" = 'ACTIVE';
CREATE INDEX "standing_reservations_member_id_idx" ON "standing_reservations" ("member_id");

CREATE TABLE "enrollments" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "class_session_id" UUID NOT NULL,
  "member_id" UUID NOT NULL,
  "status" "EnrollmentStatus" NOT NULL,
  "standing_reservation_id" UUID,
  -- Waitlist order is (joined_at, arrival), computed when read: a cancellation rewrites nothing.
  -- joined_at is taken under the class's lock; arrival (the insert order) breaks ties within a millisecond.
  "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "arrival" BIGINT GENERATED BY DEFAULT AS IDENTITY,
  "offer_expires_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "enrollments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "enrollments_class_session_id_fkey" FOREIGN KEY ("class_session_id") REFERENCES "class_sessions"("id") ON DELETE RESTRICT,
  CONSTRAINT "enrollments_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "users"("id") ON DELETE RESTRICT,
  CONSTRAINT "enrollments_standing_reservation_id_fkey" FOREIGN KEY ("standing_reservation_id") REFERENCES "standing_reservations"("id") ON DELETE SET NULL,
  CONSTRAINT "enrollments_offer" CHECK (("status" = 'OFFERED') = ("offer_expires_at" IS NOT NULL))
);
CREATE UNIQUE INDEX "enrollments_active_key" ON "enrollments" ("class_session_id", "member_id") WHERE "status" IN ('BOOKED', 'WAITLISTED', 'OFFERED');
CREATE INDEX "enrollments_class_session_id_status_idx" ON "enrollments" ("class_session_id", "status", "joined_at", "arrival");
CREATE INDEX "enrollments_member_id_idx" ON "enrollments" ("member_id", "status");
-- Offer expiry is found by its due time, never by scanning every enrollment.
CREATE INDEX "enrollments_offer_expires_at_idx" ON "enrollments" ("offer_expires_at") WHERE "status" = 'OFFERED';
CREATE INDEX "enrollments_standing_reservation_id_idx" ON "enrollments" ("standing_reservation_id");

CREATE TABLE "enrollment_status_changes" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "enrollment_id" UUID NOT NULL,
  "from_status" "EnrollmentStatus",
  "to_status" "EnrollmentStatus" NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "actor_id" UUID,
  "reason" TEXT,
  CONSTRAINT "enrollment_status_changes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "enrollment_status_changes_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE CASCADE,
  CONSTRAINT "enrollment_status_changes_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE INDEX "enrollment_status_changes_enrollment_id_at_idx" ON "enrollment_status_changes" ("enrollment_id", "at");

-- Class lines in the ledger: CLASS (an attendance), and the fees of class enrollments.
ALTER TABLE "charges" ADD COLUMN "enrollment_id" UUID,
  ADD CONSTRAINT "charges_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE RESTRICT,
  ADD CONSTRAINT "charges_one_subject" CHECK ("session_id" IS NULL OR "enrollment_id" IS NULL);
ALTER TABLE "charges" DROP CONSTRAINT "charges_session_kinds",
  ADD CONSTRAINT "charges_session_kinds" CHECK (
    ("kind" <> 'SESSION' OR "session_id" IS NOT NULL)
    AND ("kind" <> 'CLASS' OR "enrollment_id" IS NOT NULL)
    AND ("kind" NOT IN ('LATE_CANCEL_FEE', 'NO_SHOW_FEE') OR "session_id" IS NOT NULL OR "enrollment_id" IS NOT NULL));
-- One charge per (enrollment, kind), as per (session, kind).
CREATE UNIQUE INDEX "charges_enrollment_kind_key" ON "charges" ("enrollment_id", "kind") WHERE "kind" <> 'ADJUSTMENT';

-- ---------------------------------------------------------------------------
-- Busy time: who is taken when, whatever makes them busy. A training session makes its
-- coach and its member busy; a class (not cancelled) its coach; an enrollment that holds a
-- place (BOOKED, OFFERED, ATTENDED, NO_SHOW) its member. Coaches and members are checked
-- apart, as the 0.1 constraints on training_sessions do.
CREATE TABLE "busy_times" (
  "user_id" UUID NOT NULL,
  "as_coach" BOOLEAN NOT NULL,
  "during" TSTZRANGE NOT NULL,
  "training_session_id" UUID,
  "class_session_id" UUID,
  "enrollment_id" UUID,
  CONSTRAINT "busy_times_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
  CONSTRAINT "busy_times_training_session_id_fkey" FOREIGN KEY ("training_session_id") REFERENCES "training_sessions"("id") ON DELETE CASCADE,
  CONSTRAINT "busy_times_class_session_id_fkey" FOREIGN KEY ("class_session_id") REFERENCES "class_sessions"("id") ON DELETE CASCADE,
  CONSTRAINT "busy_times_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE CASCADE,
  CONSTRAINT "busy_times_one_cause" CHECK (num_nonnulls("training_session_id", "class_session_id", "enrollment_id") = 1),
  CONSTRAINT "busy_times_coach_no_overlap" EXCLUDE USING gist ("user_id" WITH =, "during" WITH &&) WHERE ("as_coach"),
  CONSTRAINT "busy_times_member_no_overlap" EXCLUDE USING gist ("user_id" WITH =, "during" WITH &&) WHERE (NOT "as_coach")
);
CREATE INDEX "busy_times_training_session_id_idx" ON "busy_times" ("training_session_id") WHERE "training_session_id" IS NOT NULL;
CREATE INDEX "busy_times_class_session_id_idx" ON "busy_times" ("class_session_id") WHERE "class_session_id" IS NOT NULL;
CREATE INDEX "busy_times_enrollment_id_idx" ON "busy_times" ("enrollment_id") WHERE "enrollment_id" IS NOT NULL;

-- Statement triggers (transition tables): a set-based write of thousands of rows (generation,
-- the nightly sweep) refreshes their busy time in two statements, not two per row.
-- A training session's own constraints fire first, so a clash of two sessions keeps its
-- 0.1 message; these catch the clashes across sessions and classes.
CREATE FUNCTION "busy_training_sessions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM "busy_times" b USING old_rows o WHERE b."training_session_id" = o."id";
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "busy_times" ("user_id", "as_coach", "during", "training_session_id")
    SELECT p."user_id", p."as_coach", tstzrange(n."start_time", n."end_time", '[)'), n."id"
    FROM new_rows n
    CROSS JOIN LATERAL (VALUES (n."coach_id", true), (n."member_id", false)) AS p("user_id", "as_coach")
    WHERE n."status" <> 'CANCELLED';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "busy_training_sessions_inserted" AFTER INSERT ON "training_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "busy_training_sessions"();
CREATE TRIGGER "busy_training_sessions_updated" AFTER UPDATE ON "training_sessions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "busy_training_sessions"();

-- Enrollments that hold a place make their member busy for the class's time.
CREATE FUNCTION "busy_enrollments_refresh"(p_ids UUID[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "busy_times" WHERE "enrollment_id" = ANY(p_ids);
  INSERT INTO "busy_times" ("user_id", "as_coach", "during", "enrollment_id")
  SELECT e."member_id", false, tstzrange(c."start_time", c."end_time", '[)'), e."id"
  FROM "enrollments" e JOIN "class_sessions" c ON c."id" = e."class_session_id"
  WHERE e."id" = ANY(p_ids) AND e."status" IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW') AND c."status" <> 'CANCELLED';
$$;

CREATE FUNCTION "busy_class_sessions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM "busy_times" b USING old_rows o WHERE b."class_session_id" = o."id";
  END IF;
  INSERT INTO "busy_times" ("user_id", "as_coach", "during", "class_session_id")
  SELECT n."coach_id", true, tstzrange(n."start_time", n."end_time", '[)'), n."id"
  FROM new_rows n WHERE n."status" <> 'CANCELLED';
  IF TG_OP = 'UPDATE' THEN
    -- A class's time or status decides its members' busy time too.
    PERFORM "busy_enrollments_refresh"(ARRAY(
      SELECT e."id" FROM "enrollments" e JOIN new_rows n ON n."id" = e."class_session_id"
      JOIN old_rows o ON o."id" = n."id"
      WHERE (n."start_time", n."end_time", n."status" = 'CANCELLED') IS DISTINCT FROM (o."start_time", o."end_time", o."status" = 'CANCELLED')));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "busy_class_sessions_inserted" AFTER INSERT ON "class_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "busy_class_sessions"();
CREATE TRIGGER "busy_class_sessions_updated" AFTER UPDATE ON "class_sessions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "busy_class_sessions"();

CREATE FUNCTION "busy_enrollments"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "busy_enrollments_refresh"(ARRAY(SELECT n."id" FROM new_rows n));
  RETURN NULL;
END
$$;
CREATE TRIGGER "busy_enrollments_inserted" AFTER INSERT ON "enrollments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "busy_enrollments"();
CREATE TRIGGER "busy_enrollments_updated" AFTER UPDATE ON "enrollments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "busy_enrollments"();

-- What is there already.
INSERT INTO "busy_times" ("user_id", "as_coach", "during", "training_session_id")
SELECT p."user_id", p."as_coach", tstzrange(s."start_time", s."end_time", '[)'), s."id"
FROM "training_sessions" s
CROSS JOIN LATERAL (VALUES (s."coach_id", true), (s."member_id", false)) AS p("user_id", "as_coach")
WHERE s."status" <> 'CANCELLED';

-- ---------------------------------------------------------------------------
-- Places: the services take them under a lock on the class row; this is the backstop that
-- holds whatever a writer does. Places held: BOOKED, OFFERED, ATTENDED, NO_SHOW.
CREATE FUNCTION "class_sessions_within_capacity"(p_ids UUID[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM "class_sessions" c
    WHERE c."id" = ANY(p_ids) AND (
      (SELECT count(*) FROM "enrollments" e WHERE e."class_session_id" = c."id" AND e."status" IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW')) > c."capacity"
      OR (SELECT count(*) FROM "enrollments" e WHERE e."class_session_id" = c."id" AND e."status" = 'WAITLISTED') > c."waitlist_capacity")
  ) THEN
    RAISE EXCEPTION 'class over capacity' USING ERRCODE = 'check_violation', CONSTRAINT = 'class_sessions_within_capacity';
  END IF;
END
$$;

CREATE FUNCTION "enrollments_within_capacity"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "class_sessions_within_capacity"(ARRAY(SELECT DISTINCT n."class_session_id" FROM new_rows n));
  RETURN NULL;
END
$$;
CREATE TRIGGER "enrollments_within_capacity_inserted" AFTER INSERT ON "enrollments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "enrollments_within_capacity"();
CREATE TRIGGER "enrollments_within_capacity_updated" AFTER UPDATE ON "enrollments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "enrollments_within_capacity"();

CREATE FUNCTION "class_sessions_capacity_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "class_sessions_within_capacity"(ARRAY(
    SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."capacity" < o."capacity" OR n."waitlist_capacity" < o."waitlist_capacity"));
  RETURN NULL;
END
$$;
CREATE TRIGGER "class_sessions_capacity_kept" AFTER UPDATE ON "class_sessions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "class_sessions_capacity_kept"();
