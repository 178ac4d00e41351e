-- Extensions
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('MEMBER', 'COACH', 'OWNER');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('SCHEDULED', 'COMPLETED', 'CANCELLED', 'NO_SHOW');

-- CreateEnum
CREATE TYPE "RecurringBookingStatus" AS ENUM ('ACTIVE', 'CANCELLED', 'ENDED');

-- CreateEnum
CREATE TYPE "GenerationTrigger" AS ENUM ('CRON', 'MUTATION', 'HTTP', 'BOOKING');

-- CreateEnum
CREATE TYPE "GenerationRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rooms" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rooms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coach_settings" (
    "coach_id" UUID NOT NULL,
    "default_room_id" UUID,
    "default_duration_minutes" INTEGER NOT NULL DEFAULT 60,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coach_settings_pkey" PRIMARY KEY ("coach_id")
);

-- CreateTable
CREATE TABLE "weekly_availability" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "coach_id" UUID NOT NULL,
    "day_of_week" INTEGER NOT NULL,
    "start_minute" INTEGER NOT NULL,
    "end_minute" INTEGER NOT NULL,

    CONSTRAINT "weekly_availability_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_additions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "coach_id" UUID NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "availability_additions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_blocks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "coach_id" UUID NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "availability_blocks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recurring_bookings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "member_id" UUID NOT NULL,
    "coach_id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "day_of_week" INTEGER NOT NULL,
    "start_minute" INTEGER NOT NULL,
    "end_minute" INTEGER NOT NULL,
    "timezone" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "status" "RecurringBookingStatus" NOT NULL DEFAULT 'ACTIVE',
    "price_cents" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancellation_reason" TEXT,

    CONSTRAINT "recurring_bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "coach_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3) NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'SCHEDULED',
    "recurring_booking_id" UUID,
    "occurrence_start" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "cancellation_reason" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_status_changes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "session_id" UUID NOT NULL,
    "from_status" "SessionStatus",
    "to_status" "SessionStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,

    CONSTRAINT "session_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "trigger" "GenerationTrigger" NOT NULL,
    "status" "GenerationRunStatus" NOT NULL DEFAULT 'RUNNING',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "total_generated" INTEGER NOT NULL DEFAULT 0,
    "from_recurring_bookings" INTEGER NOT NULL DEFAULT 0,
    "marked_completed" INTEGER NOT NULL DEFAULT 0,
    "skipped_blocked" INTEGER NOT NULL DEFAULT 0,
    "skipped_conflicts" INTEGER NOT NULL DEFAULT 0,
    "series_ended" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "error" TEXT,

    CONSTRAINT "generation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "rooms_name_key" ON "rooms"("name");

-- CreateIndex
CREATE INDEX "weekly_availability_coach_id_day_of_week_idx" ON "weekly_availability"("coach_id", "day_of_week");

-- CreateIndex
CREATE INDEX "availability_additions_coach_id_start_time_idx" ON "availability_additions"("coach_id", "start_time");

-- CreateIndex
CREATE INDEX "availability_blocks_coach_id_start_time_idx" ON "availability_blocks"("coach_id", "start_time");

-- CreateIndex
CREATE INDEX "recurring_bookings_status_idx" ON "recurring_bookings"("status");

-- CreateIndex
CREATE INDEX "recurring_bookings_coach_id_status_idx" ON "recurring_bookings"("coach_id", "status");

-- CreateIndex
CREATE INDEX "recurring_bookings_member_id_status_idx" ON "recurring_bookings"("member_id", "status");

-- CreateIndex
CREATE INDEX "training_sessions_coach_id_start_time_id_idx" ON "training_sessions"("coach_id", "start_time", "id");

-- CreateIndex
CREATE INDEX "training_sessions_member_id_start_time_id_idx" ON "training_sessions"("member_id", "start_time", "id");

-- CreateIndex
CREATE INDEX "training_sessions_room_id_start_time_idx" ON "training_sessions"("room_id", "start_time");

-- CreateIndex
CREATE INDEX "training_sessions_start_time_id_idx" ON "training_sessions"("start_time", "id");

-- CreateIndex
CREATE INDEX "training_sessions_status_end_time_idx" ON "training_sessions"("status", "end_time");

-- CreateIndex
CREATE UNIQUE INDEX "training_sessions_recurring_booking_id_occurrence_start_key" ON "training_sessions"("recurring_booking_id", "occurrence_start");

-- CreateIndex
CREATE INDEX "session_status_changes_session_id_at_idx" ON "session_status_changes"("session_id", "at");

-- CreateIndex
CREATE INDEX "generation_runs_started_at_idx" ON "generation_runs"("started_at");

-- AddForeignKey
ALTER TABLE "coach_settings" ADD CONSTRAINT "coach_settings_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coach_settings" ADD CONSTRAINT "coach_settings_default_room_id_fkey" FOREIGN KEY ("default_room_id") REFERENCES "rooms"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weekly_availability" ADD CONSTRAINT "weekly_availability_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_additions" ADD CONSTRAINT "availability_additions_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_blocks" ADD CONSTRAINT "availability_blocks_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recurring_bookings" ADD CONSTRAINT "recurring_bookings_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recurring_bookings" ADD CONSTRAINT "recurring_bookings_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recurring_bookings" ADD CONSTRAINT "recurring_bookings_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_coach_id_fkey" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_recurring_booking_id_fkey" FOREIGN KEY ("recurring_booking_id") REFERENCES "recurring_bookings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_status_changes" ADD CONSTRAINT "session_status_changes_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_status_changes" ADD CONSTRAINT "session_status_changes_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Beyond Prisma's schema language: value checks and the double-booking guards.
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_capacity_check" CHECK ("capacity" >= 1);
ALTER TABLE "coach_settings" ADD CONSTRAINT "coach_settings_duration_check" CHECK ("default_duration_minutes" BETWEEN 15 AND 480);
ALTER TABLE "weekly_availability" ADD CONSTRAINT "weekly_availability_slot_check"
    CHECK ("day_of_week" BETWEEN 0 AND 6 AND "start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute");
ALTER TABLE "availability_additions" ADD CONSTRAINT "availability_additions_range_check" CHECK ("start_time" < "end_time");
ALTER TABLE "availability_blocks" ADD CONSTRAINT "availability_blocks_range_check" CHECK ("start_time" < "end_time");
ALTER TABLE "recurring_bookings" ADD CONSTRAINT "recurring_bookings_slot_check"
    CHECK ("day_of_week" BETWEEN 0 AND 6 AND "start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute");
ALTER TABLE "recurring_bookings" ADD CONSTRAINT "recurring_bookings_dates_check" CHECK ("end_date" IS NULL OR "end_date" >= "start_date");
ALTER TABLE "recurring_bookings" ADD CONSTRAINT "recurring_bookings_price_check" CHECK ("price_cents" IS NULL OR "price_cents" >= 0);
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_range_check" CHECK ("start_time" < "end_time");

-- No two non-cancelled sessions of one coach, or of one member, overlap. Half-open ranges: back-to-back is fine.
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_coach_no_overlap"
    EXCLUDE USING gist ("coach_id" WITH =, tstzrange("start_time", "end_time", '[)') WITH &&) WHERE ("status" <> 'CANCELLED');
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_member_no_overlap"
    EXCLUDE USING gist ("member_id" WITH =, tstzrange("start_time", "end_time", '[)') WITH &&) WHERE ("status" <> 'CANCELLED');
