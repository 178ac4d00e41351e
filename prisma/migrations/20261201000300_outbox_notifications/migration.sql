-- Since 0.2: the transactional outbox (email now, webhooks later), in-app notifications,
-- notification preferences, session reminders and the studio's settings (one row).
-- Foreign keys to users, sessions and series live here only: the Prisma models name
-- the columns without relations, so the shared models stay untouched.

CREATE TYPE "OutboxChannel" AS ENUM ('EMAIL', 'WEBHOOK');
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'SKIPPED');
CREATE TYPE "NotificationKind" AS ENUM (
  'SERIES_CONFIRMED', 'SESSION_BOOKED', 'SESSION_REMINDER', 'SESSION_CANCELLED', 'SESSION_RESCHEDULED',
  'SERIES_CANCELLED', 'SERIES_CHANGED', 'OCCURRENCE_SKIPPED', 'CHARGE_CREATED', 'GENERATION_FAILED'
);
CREATE TYPE "ReminderStatus" AS ENUM ('PENDING', 'SENT', 'VOID');

-- One row (id = 1); the server inserts it at start with STUDIO_NAME / STUDIO_CURRENCY.
CREATE TABLE "studio_settings" (
  "id" INTEGER NOT NULL DEFAULT 1,
  "name" TEXT NOT NULL DEFAULT 'Studio',
  "currency" TEXT NOT NULL DEFAULT 'EUR',
  "late_cancel_window_minutes" INTEGER NOT NULL DEFAULT 1440,
  "late_cancel_fee_percent" INTEGER NOT NULL DEFAULT 100,
  "no_show_fee_percent" INTEGER NOT NULL DEFAULT 100,
  "reminder_lead_minutes" INTEGER[] NOT NULL DEFAULT '{1440}',
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "studio_settings_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "studio_settings_one_row" CHECK ("id" = 1),
  CONSTRAINT "studio_settings_reminder_leads" CHECK (
    cardinality("reminder_lead_minutes") <= 5 AND 5 <= ALL ("reminder_lead_minutes") AND 10080 >= ALL ("reminder_lead_minutes"))
);

CREATE TABLE "notification_preferences" (
  "user_id" UUID NOT NULL,
  "email_confirmations" BOOLEAN NOT NULL DEFAULT true,
  "email_reminders" BOOLEAN NOT NULL DEFAULT true,
  "email_cancellations" BOOLEAN NOT NULL DEFAULT true,
  "email_billing" BOOLEAN NOT NULL DEFAULT true,
  -- NULL: the studio's leads.
  "reminder_lead_minutes" INTEGER[],
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id"),
  CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
  CONSTRAINT "notification_preferences_reminder_leads" CHECK (
    cardinality("reminder_lead_minutes") <= 5 AND 5 <= ALL ("reminder_lead_minutes") AND 10080 >= ALL ("reminder_lead_minutes"))
);

CREATE TABLE "notifications" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id" UUID NOT NULL,
  "kind" "NotificationKind" NOT NULL,
  "title" TEXT NOT NULL,
  "body" TEXT NOT NULL,
  "session_id" UUID,
  "recurring_booking_id" UUID,
  -- (cause, recipient[, lead, start]): the same cause never notifies a person twice.
  "dedupe_key" TEXT NOT NULL,
  "email_status" "DeliveryStatus" NOT NULL DEFAULT 'SKIPPED',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "read_at" TIMESTAMPTZ(3),
  CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
  CONSTRAINT "notifications_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions"("id") ON DELETE SET NULL,
  CONSTRAINT "notifications_recurring_booking_id_fkey" FOREIGN KEY ("recurring_booking_id") REFERENCES "recurring_bookings"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");
CREATE INDEX "notifications_user_id_created_at_id_idx" ON "notifications"("user_id", "created_at" DESC, "id" DESC);
-- Unread counts read only the unread rows (SQL only: Prisma cannot express a partial index).
CREATE INDEX "notifications_unread_idx" ON "notifications"("user_id") WHERE "read_at" IS NULL;

-- One reminder per (session, person, lead, start); a reschedule voids the old start's and adds the new one's.
CREATE TABLE "session_reminders" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "session_id" UUID NOT NULL,
  "user_id" UUID NOT NULL,
  "lead_minutes" INTEGER NOT NULL,
  "session_start" TIMESTAMPTZ(3) NOT NULL,
  "due_at" TIMESTAMPTZ(3) NOT NULL,
  "status" "ReminderStatus" NOT NULL DEFAULT 'PENDING',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "handled_at" TIMESTAMPTZ(3),
  CONSTRAINT "session_reminders_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "session_reminders_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions"("id") ON DELETE CASCADE,
  CONSTRAINT "session_reminders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "session_reminders_session_id_user_id_lead_minutes_session_start_key"
  ON "session_reminders"("session_id", "user_id", "lead_minutes", "session_start");
-- The reminder worker's scan: pending ones by due time (SQL only: partial).
CREATE INDEX "session_reminders_due_idx" ON "session_reminders"("due_at") WHERE "status" = 'PENDING';

-- The outbox: one row per message to deliver after commit, on any instance, exactly once.
CREATE TABLE "outbox_messages" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "channel" "OutboxChannel" NOT NULL,
  "payload" JSONB NOT NULL,
  "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  -- Lease of the instance delivering it; an expired lease (the process died) frees the row.
  "locked_until" TIMESTAMPTZ(3),
  "last_error" TEXT,
  "dedupe_key" TEXT NOT NULL,
  "notification_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "sent_at" TIMESTAMPTZ(3),
  CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "outbox_messages_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "outbox_messages_dedupe_key_key" ON "outbox_messages"("dedupe_key");
CREATE INDEX "outbox_messages_notification_id_idx" ON "outbox_messages"("notification_id");
-- The worker's scan: pending rows by due time (SQL only: partial).
CREATE INDEX "outbox_messages_due_idx" ON "outbox_messages"("next_attempt_at") WHERE "status" = 'PENDING';
