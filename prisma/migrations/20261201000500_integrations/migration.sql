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
