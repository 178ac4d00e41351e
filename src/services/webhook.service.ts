import { randomBytes, randomUUID } from 'node:crypto';
import { inTransaction } from '../db/transaction';
import { isUuid } from '../domain/ids';
import { AppError, badInput, conflict } from '../errors';
import type { DeliveryStatus, WebhookEndpoint, WebhookEventType } from '../generated/prisma/client';
import { enqueueMany, wakeOutboxAtCommit } from '../outbox/outbox';
import { assertWebhookUrl } from '../webhooks/webhook-url';
import type { ServiceDeps } from './context';

export const MAX_WEBHOOK_ENDPOINTS = 20;
export const MAX_DELIVERIES_LISTED = 100;
/** How long the previous secret keeps signing after a rotation (Standard Webhooks sends both). */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

export interface NewEndpoint {
  url: string;
  events: WebhookEventType[];
}

export interface EndpointChanges {
  id: string;
  url?: string | null;
  events?: WebhookEventType[] | null;
  enabled?: boolean | null;
}

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  /** "whsec_" + base64: shown once, when created or rotated. */
  secret: string;
}

export interface DeliveryView {
  id: string;
  eventType: WebhookEventType;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  responseStatus: number | null;
  createdAt: Date;
}

const DELIVERY_SELECT = `
  SELECT d.id::text, d.event_type::text AS "eventType", m.status::text AS status, m.attempts,
         d.last_attempt_at AS "lastAttemptAt",
         CASE WHEN m.status = 'PENDING' THEN m.next_attempt_at END AS "nextAttemptAt",
         d.response_status AS "responseStatus", d.created_at AS "createdAt"
    FROM webhook_deliveries d JOIN outbox_messages m ON m.id = d.outbox_message_id`;

/**
 * Owners' webhook endpoints and their deliveries. Deliveries are created by triggers in the
 * transaction of each change (migration 20261201000500_integrations) and sent by the
 * outbox's WEBHOOK channel (src/webhooks/webhook.channel.ts).
 */
export class WebhookService {
  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  private get urlRules() {
    return { isProduction: this.deps.config.isProduction, allowPrivate: this.deps.config.webhookAllowPrivate };
  }

  list(): Promise<WebhookEndpoint[]> {
    return this.prisma.webhookEndpoint.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async create(input: NewEndpoint): Promise<EndpointWithSecret> {
    const url = await assertWebhookUrl(input.url, this.urlRules, 'input.url');
    const events = eventList(input.events, 'input.events');
    const secret = newSecret();
    const endpoint = await inTransaction(this.prisma, async (tx) => {
      // One creation at a time, so two at once cannot both pass the limit.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints'))`;
      const count = await tx.webhookEndpoint.count();
      if (count >= MAX_WEBHOOK_ENDPOINTS) throw badInput('input', `At most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first`);
      return tx.webhookEndpoint.create({
        data: { url: url.toString(), events, secretSealed: this.seal(secret), createdAt: this.deps.now(), updatedAt: this.deps.now() },
      });
    });
    return { endpoint, secret };
  }

  async update(changes: EndpointChanges): Promise<WebhookEndpoint> {
    const existing = await this.find(changes.id, 'input.id');
    const url = changes.url != null ? (await assertWebhookUrl(changes.url, this.urlRules, 'input.url')).toString() : undefined;
    const events = changes.events != null ? eventList(changes.events, 'input.events') : undefined;
    const enabling = changes.enabled === true && !existing.enabled;
    return this.prisma.webhookEndpoint.update({
      where: { id: existing.id },
      data: {
        url,
        events,
        enabled: changes.enabled ?? undefined,
        // Switched back on: a fresh start for the failure count and the five-day rule.
        ...(enabling ? { consecutiveFailures: 0, failingSince: null, disabledReason: null } : {}),
        ...(changes.enabled === false ? { disabledReason: 'Disabled by an owner' } : {}),
        updatedAt: this.deps.now(),
      },
    });
  }

  /** Deletes the endpoint and its deliveries; pending ones are skipped by the worker. */
  async remove(id: string): Promise<boolean> {
    const existing = await this.find(id, 'id');
    await this.prisma.webhookEndpoint.delete({ where: { id: existing.id } });
    return true;
  }

  /** A new secret; the previous one keeps signing for 24 hours beside it. */
  async rotateSecret(id: string): Promise<EndpointWithSecret> {
    const existing = await this.find(id, 'id');
    const secret = newSecret();
    const now = this.deps.now();
    const endpoint = await this.prisma.webhookEndpoint.update({
      where: { id: existing.id },
      data: {
        secretSealed: this.seal(secret),
        previousSecretSealed: existing.secretSealed,
        previousSecretExpiresAt: new Date(now.getTime() + SECRET_OVERLAP_MS),
        updatedAt: now,
      },
    });
    return { endpoint, secret };
  }

  /** Newest first. */
  async deliveries(endpointId: string, first: number): Promise<DeliveryView[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_LISTED) {
      throw badInput('first', `first must be between 1 and ${MAX_DELIVERIES_LISTED}`);
    }
    const endpoint = await this.find(endpointId, 'endpointId');
    const { rows } = await this.deps.db.pool.query<DeliveryView>(
      `${DELIVERY_SELECT} WHERE d.endpoint_id = $1::uuid ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      [endpoint.id, first],
    );
    return rows;
  }

  /**
   * Sends a delivery again: the same webhook-id and body (receivers deduplicate by id), as a
   * new outbox row with its own attempts. A delivery still waiting for a retry is made due now.
   */
  async redeliver(deliveryId: string): Promise<DeliveryView> {
    if (!isUuid(deliveryId)) throw new AppError('NOT_FOUND', 'Webhook delivery not found', 'deliveryId');
    await inTransaction(this.prisma, async (tx) => {
      const rows = await tx.$queryRaw<{ status: DeliveryStatus; enabled: boolean; leased: boolean; outboxId: string }[]>`
        SELECT m.status::text AS status, e.enabled, COALESCE(m.locked_until > now(), false) AS leased, m.id::text AS "outboxId"
          FROM webhook_deliveries d
          JOIN webhook_endpoints e ON e.id = d.endpoint_id
          JOIN outbox_messages m ON m.id = d.outbox_message_id
         WHERE d.id = ${deliveryId}::uuid
         FOR UPDATE OF d, m`;
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND', 'Webhook delivery not found', 'deliveryId');
      if (!row.enabled) throw conflict('The endpoint is disabled: enable it first');
      if (row.status === 'PENDING') {
        if (row.leased) throw conflict('The delivery is being sent right now');
        await tx.$executeRaw`UPDATE outbox_messages SET next_attempt_at = now() WHERE id = ${row.outboxId}::uuid`;
        await wakeOutboxAtCommit(tx);
      } else {
        // A fresh key: this delivery's earlier rows keep theirs (webhook:<delivery>:0 from the trigger).
        const [outbox] = await enqueueMany(tx, [{ channel: 'WEBHOOK', payload: { deliveryId }, dedupeKey: `webhook:${deliveryId}:${randomUUID()}` }]);
        await tx.$executeRaw`UPDATE webhook_deliveries SET outbox_message_id = ${outbox.id}::uuid WHERE id = ${deliveryId}::uuid`;
      }
    });
    const { rows } = await this.deps.db.pool.query<DeliveryView>(`${DELIVERY_SELECT} WHERE d.id = $1::uuid`, [deliveryId]);
    return rows[0];
  }

  private async find(id: string, field: string): Promise<WebhookEndpoint> {
    const endpoint = isUuid(id) ? await this.prisma.webhookEndpoint.findUnique({ where: { id } }) : null;
    if (!endpoint) throw new AppError('NOT_FOUND', 'Webhook endpoint not found', field);
    return endpoint;
  }

  private seal(secret: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.deps.sealer.seal(Buffer.from(secret, 'utf8')));
  }
}

function eventList(events: WebhookEventType[], field: string): WebhookEventType[] {
  const unique = [...new Set(events)];
  if (unique.length === 0) throw badInput(field, 'Choose at least one event');
  return unique;
}

/** Standard Webhooks' secret format: "whsec_" and base64 of 32 random bytes. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
