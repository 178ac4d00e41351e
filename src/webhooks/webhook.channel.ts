import type pg from 'pg';
import { Webhook } from 'standardwebhooks';
import type { Sealer } from '../auth/sealing';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { ChannelHandler, DeliveryOutcome, OutboxRow } from '../outbox/channel';
import { postOnce, type PostResult } from './http-post';

export const WEBHOOK_TIMEOUT_MS = 15_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** An endpoint failing for this long without a success is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;
export const USER_AGENT = 'booking-server-webhooks/1 (+https://www.standardwebhooks.com)';

export interface WebhookPayload {
  deliveryId: string;
}

interface DeliveryRow {
  body: string;
  endpoint_id: string;
  url: string;
  enabled: boolean;
  secret_sealed: Buffer;
  previous_secret_sealed: Buffer | null;
  previous_valid: boolean;
}

export interface WebhookChannelOptions {
  pool: pg.Pool;
  sealer: Sealer;
  metrics: Metrics;
  log: Logger;
  allowPrivate: boolean;
  retryDelaysMs: number[];
  timeoutMs?: number;
}

/**
 * The outbox's WEBHOOK channel. Each attempt reads the delivery and its endpoint afresh (a
 * rotated secret, a new URL, a disabled or deleted endpoint take effect at once), signs the
 * stored body with Standard Webhooks (webhook-id = the delivery's id, the same on every
 * retry; during a rotation with both secrets), posts it through postOnce (SSRF rules on the
 * resolved address, no redirects, bounded time and response), then records the attempt.
 * The database is used only before and after the request, never held across it.
 */
export function createWebhookChannel(options: WebhookChannelOptions): ChannelHandler {
  const { pool, sealer, metrics, log } = options;
  const count = (outcome: string) => metrics.webhookDeliveries.inc({ outcome });

  return {
    retryDelaysMs: options.retryDelaysMs,
    async deliver(payload: unknown, row: OutboxRow): Promise<DeliveryOutcome> {
      const deliveryId = (payload as Partial<WebhookPayload> | null)?.deliveryId;
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT d.body, e.id::text AS endpoint_id, e.url, e.enabled, e.secret_sealed, e.previous_secret_sealed,
                COALESCE(e.previous_secret_expires_at > now(), false) AS previous_valid
           FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.id = $1::uuid AND d.outbox_message_id = $2::uuid`,
        [deliveryId ?? null, row.id],
      );
      const delivery = rows[0];
      if (!delivery) return skipped('the endpoint or the delivery was deleted, or the delivery was sent again');
      if (!delivery.enabled) return skipped('the endpoint is disabled');

      const secrets = [delivery.secret_sealed, delivery.previous_valid ? delivery.previous_secret_sealed : null]
        .filter((sealed): sealed is Buffer => sealed !== null)
        .map((sealed) => sealer.open(sealed));
      if (!secrets[0]) {
        count('FAILED');
        return { status: 'FAILED', error: 'The signing secret cannot be read (JWT_SECRET changed?): rotate the endpoint secret' };
      }
      const timestamp = new Date();
      const signature = secrets
        .filter((secret): secret is Buffer => secret !== null)
        .map((secret) => new Webhook(secret.toString('utf8')).sign(deliveryId!, timestamp, delivery.body))
        .join(' ');

      const result = await postOnce(new URL(delivery.url), {
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': deliveryId!,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: delivery.body,
        timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        allowPrivate: options.allowPrivate,
      });
      const disabled = await record(pool, deliveryId!, delivery.endpoint_id, result).catch((error: unknown) => {
        log.error({ err: error, deliveryId }, 'webhook: could not record the attempt');
        return false;
      });
      return outcomeOf(result, disabled, count);
    },
  };

  function skipped(reason: string): DeliveryOutcome {
    count('SKIPPED');
    return { status: 'SKIPPED', reason };
  }
}

function succeeded(result: PostResult): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}

/**
 * The attempt on the delivery (time, status) and on the endpoint: a success clears its
 * failures; a failure counts, and a 410 or five days of failures disable it. Answers
 * whether this attempt disabled the endpoint.
 */
async function record(pool: pg.Pool, deliveryId: string, endpointId: string, result: PostResult): Promise<boolean> {
  const ok = succeeded(result);
  const gone = result.status === 410;
  const { rows } = await pool.query<{ disabled: boolean }>(
    `WITH d AS (
       UPDATE webhook_deliveries SET last_attempt_at = now(), response_status = $2 WHERE id = $1::uuid
     )
     UPDATE webhook_endpoints e SET
       consecutive_failures = CASE WHEN $4 THEN 0 ELSE e.consecutive_failures + 1 END,
       failing_since = CASE WHEN $4 THEN NULL ELSE COALESCE(e.failing_since, now()) END,
       enabled = e.enabled AND NOT $5 AND ($4 OR COALESCE(e.failing_since, now()) > now() - $6 * interval '1 millisecond'),
       disabled_reason = CASE
         WHEN $5 THEN 'The receiver answered 410 Gone'
         WHEN NOT $4 AND COALESCE(e.failing_since, now()) <= now() - $6 * interval '1 millisecond' THEN 'Every delivery failed for 5 days'
         ELSE e.disabled_reason END,
       updated_at = now()
     WHERE e.id = $3::uuid
     RETURNING NOT e.enabled AS disabled`,
    [deliveryId, result.status, endpointId, ok, gone, DISABLE_AFTER_FAILING_MS],
  );
  return rows[0]?.disabled ?? false;
}

function outcomeOf(result: PostResult, disabled: boolean, count: (outcome: string) => void): DeliveryOutcome {
  if (succeeded(result)) {
    count('SENT');
    return { status: 'SENT' };
  }
  if (result.refused) {
    count('REFUSED');
    return { status: 'FAILED', error: result.error ?? 'refused address' };
  }
  if (result.status === 410) {
    count('GONE');
    return { status: 'FAILED', error: 'The receiver answered 410 Gone: endpoint disabled' };
  }
  const error = result.status !== null ? `The receiver answered HTTP ${result.status}` : (result.error ?? 'no answer');
  count(result.status !== null ? 'HTTP_ERROR' : 'NETWORK_ERROR');
  if (disabled) return { status: 'FAILED', error: `${error}; endpoint disabled after 5 days of failures` };
  return { status: 'RETRY', error };
}
