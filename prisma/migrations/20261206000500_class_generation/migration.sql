-- Class schedules in the generation run (issue 23): what a run did for classes, beside
-- what it did for training sessions (the 0.1 counts keep meaning sessions only).
ALTER TABLE "generation_runs"
  ADD COLUMN "classes_generated" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "classes_completed" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "classes_skipped_blocked" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "classes_skipped_conflicts" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "class_schedules_ended" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "standing_booked" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "standing_waitlisted" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "standing_skipped" INTEGER NOT NULL DEFAULT 0;

-- The generator finds a schedule's existing classes by (schedule, occurrence) (the unique
-- key) and a reservation's ACTIVE rows by schedule.
CREATE INDEX "standing_reservations_schedule_id_idx" ON "standing_reservations" ("schedule_id") WHERE "status" = 'ACTIVE';

-- Reservations are seated oldest first: insert order breaks ties of created_at (as enrollments' arrival does).
ALTER TABLE "standing_reservations" ADD COLUMN "arrival" BIGSERIAL;
