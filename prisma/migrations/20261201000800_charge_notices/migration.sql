-- Since 0.2 (issue 13): writing a nightly sweep's charges stays cheap.

-- A transaction that writes more than a hundred charges (the nightly sweep) leaves their
-- CHARGE_CREATED notifications to one CHARGE_NOTICES outbox row, delivered after commit by
-- writing them (src/billing/charge-notices.channel.ts); smaller ones write them at once.
ALTER TYPE "OutboxChannel" ADD VALUE 'CHARGE_NOTICES';

-- The statement triggers of bulk writes built every row's JSON before webhook_enqueue
-- looked for an endpoint: about 200 ms of the nightly sweep's 10,000 charges (likewise
-- for the sessions generation inserts) in a studio with no webhook endpoint at all. They now
-- ask first. (webhook_sessions_updated already did.)

CREATE FUNCTION "webhook_wanted"(p_type "WebhookEventType") RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM "webhook_endpoints" WHERE "enabled" AND p_type = ANY("events"))
$$;

CREATE OR REPLACE FUNCTION "webhook_sessions_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "webhook_wanted"('SESSION_CREATED') THEN RETURN NULL; END IF;
  PERFORM "webhook_enqueue"('SESSION_CREATED', (SELECT jsonb_agg("webhook_session_json"(n) ORDER BY n."start_time", n."id") FROM new_rows n));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "webhook_charges_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT "webhook_wanted"('CHARGE_CREATED') THEN RETURN NULL; END IF;
  PERFORM "webhook_enqueue"('CHARGE_CREATED', (SELECT jsonb_agg("webhook_charge_json"(n) ORDER BY n."created_at", n."id") FROM new_rows n));
  RETURN NULL;
END
$$;
