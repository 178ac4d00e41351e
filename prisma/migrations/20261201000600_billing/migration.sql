-- Release 0.2, issue 13: prices fixed on sessions, the charge ledger, credit packs.

-- Prices: integer cents, 0..100,000,000 (money.ts MAX_AMOUNT_CENTS); NULL = free / no default.
ALTER TABLE "coach_settings" ADD COLUMN "session_price_cents" INTEGER,
  ADD CONSTRAINT "coach_settings_session_price_cents" CHECK ("session_price_cents" BETWEEN 0 AND 100000000);
ALTER TABLE "training_sessions" ADD COLUMN "price_cents" INTEGER,
  ADD CONSTRAINT "training_sessions_price_cents" CHECK ("price_cents" BETWEEN 0 AND 100000000);

-- A session's price is fixed when it is created, on every path (one-off bookings, set-based
-- generation, series changes): the price given, else the series', else the coach's. Later
-- changes to the series or the coach's default never touch existing sessions.
CREATE FUNCTION "training_sessions_fix_price"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."price_cents" IS NULL THEN
    NEW."price_cents" := COALESCE(
      (SELECT b."price_cents" FROM "recurring_bookings" b WHERE b."id" = NEW."recurring_booking_id"),
      (SELECT c."session_price_cents" FROM "coach_settings" c WHERE c."coach_id" = NEW."coach_id"));
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "training_sessions_fix_price" BEFORE INSERT ON "training_sessions"
FOR EACH ROW EXECUTE FUNCTION "training_sessions_fix_price"();

CREATE TYPE "ChargeKind" AS ENUM ('SESSION', 'LATE_CANCEL_FEE', 'NO_SHOW_FEE', 'PACK_PURCHASE', 'ADJUSTMENT');

CREATE TABLE "credit_packs" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "member_id" UUID NOT NULL,
  "credits" INTEGER NOT NULL,
  "remaining" INTEGER NOT NULL,
  "price_cents" INTEGER NOT NULL,
  "purchased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at" TIMESTAMPTZ(3),
  "created_by" UUID,
  CONSTRAINT "credit_packs_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "credit_packs_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "users"("id") ON DELETE RESTRICT,
  CONSTRAINT "credit_packs_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL,
  CONSTRAINT "credit_packs_credits" CHECK ("credits" BETWEEN 1 AND 1000),
  -- Never below zero: the last credit cannot be taken twice, whatever a writer does.
  CONSTRAINT "credit_packs_remaining" CHECK ("remaining" BETWEEN 0 AND "credits"),
  CONSTRAINT "credit_packs_price_cents" CHECK ("price_cents" BETWEEN 0 AND 100000000)
);
CREATE INDEX "credit_packs_member_id_idx" ON "credit_packs" ("member_id");

-- Append-only: a correction is a new line (reverses_id), never an edit.
CREATE TABLE "charges" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "member_id" UUID NOT NULL,
  "kind" "ChargeKind" NOT NULL,
  "session_id" UUID,
  "credit_pack_id" UUID,
  "amount_cents" INTEGER NOT NULL,
  "currency" TEXT NOT NULL,
  "paid_with_credit" BOOLEAN NOT NULL DEFAULT false,
  "description" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "created_by" UUID,
  -- An ADJUSTMENT that undoes another line (an attendance correction); a line is undone at most once.
  "reverses_id" UUID,
  -- Credits this line took from credit_pack_id (+1), gave back (-1, a reversal) or none (0): statements sum it.
  "credit_delta" SMALLINT NOT NULL DEFAULT 0,
  CONSTRAINT "charges_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "charges_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "users"("id") ON DELETE RESTRICT,
  CONSTRAINT "charges_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_sessions"("id") ON DELETE RESTRICT,
  CONSTRAINT "charges_credit_pack_id_fkey" FOREIGN KEY ("credit_pack_id") REFERENCES "credit_packs"("id") ON DELETE RESTRICT,
  CONSTRAINT "charges_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL,
  CONSTRAINT "charges_reverses_id_fkey" FOREIGN KEY ("reverses_id") REFERENCES "charges"("id") ON DELETE RESTRICT,
  CONSTRAINT "charges_amount_cents" CHECK ("amount_cents" BETWEEN -100000000 AND 100000000),
  CONSTRAINT "charges_credit_delta" CHECK ("credit_delta" BETWEEN -1 AND 1 AND ("credit_delta" = 0 OR "credit_pack_id" IS NOT NULL)),
  CONSTRAINT "charges_reversal_is_adjustment" CHECK ("reverses_id" IS NULL OR "kind" = 'ADJUSTMENT'),
  CONSTRAINT "charges_session_kinds" CHECK ("kind" NOT IN ('SESSION', 'LATE_CANCEL_FEE', 'NO_SHOW_FEE') OR "session_id" IS NOT NULL)
);
CREATE UNIQUE INDEX "charges_reverses_id_key" ON "charges" ("reverses_id");
-- One charge per (session, kind) (PEERS "Money"); adjustments and reversals are separate lines.
CREATE UNIQUE INDEX "charges_session_kind_key" ON "charges" ("session_id", "kind") WHERE "kind" <> 'ADJUSTMENT';
CREATE INDEX "charges_member_id_created_at_idx" ON "charges" ("member_id", "created_at", "id");
CREATE INDEX "charges_created_at_idx" ON "charges" ("created_at", "id");

CREATE FUNCTION "charges_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'charges are append-only: post an ADJUSTMENT instead' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER "charges_append_only" BEFORE UPDATE OR DELETE ON "charges"
FOR EACH ROW EXECUTE FUNCTION "charges_append_only"();

-- Webhooks carry the session's price like the TrainingSession type.
CREATE OR REPLACE FUNCTION "webhook_session_json"(s "training_sessions") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', s."id", 'coach', jsonb_build_object('id', s."coach_id"), 'member', jsonb_build_object('id', s."member_id"),
    'room', jsonb_build_object('id', s."room_id"), 'startTime', "webhook_iso"(s."start_time"), 'endTime', "webhook_iso"(s."end_time"),
    'status', s."status",
    'recurringBooking', CASE WHEN s."recurring_booking_id" IS NULL THEN NULL ELSE jsonb_build_object('id', s."recurring_booking_id") END,
    'occurrenceStart', "webhook_iso"(s."occurrence_start"), 'cancelledAt', "webhook_iso"(s."cancelled_at"),
    'cancellationReason', s."cancellation_reason", 'completedAt', "webhook_iso"(s."completed_at"),
    'priceCents', s."price_cents")
$$;

-- The Charge type's fields; relations as {"id": ...}.
CREATE FUNCTION "webhook_charge_json"(c "charges") RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', c."id", 'member', jsonb_build_object('id', c."member_id"), 'kind', c."kind",
    'session', CASE WHEN c."session_id" IS NULL THEN NULL ELSE jsonb_build_object('id', c."session_id") END,
    'creditPack', CASE WHEN c."credit_pack_id" IS NULL THEN NULL ELSE jsonb_build_object('id', c."credit_pack_id") END,
    'amountCents', c."amount_cents", 'currency', c."currency", 'paidWithCredit', c."paid_with_credit",
    'description', c."description", 'createdAt', "webhook_iso"(c."created_at"),
    'createdBy', CASE WHEN c."created_by" IS NULL THEN NULL ELSE jsonb_build_object('id', c."created_by") END)
$$;

CREATE FUNCTION "webhook_charges_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "webhook_enqueue"('CHARGE_CREATED', (SELECT jsonb_agg("webhook_charge_json"(n) ORDER BY n."created_at", n."id") FROM new_rows n));
  RETURN NULL;
END
$$;
CREATE TRIGGER "charges_webhooks_insert" AFTER INSERT ON "charges"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "webhook_charges_inserted"();
