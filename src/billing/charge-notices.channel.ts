import type { Config } from '../config';
import { inTransaction } from '../db/transaction';
import type { Db } from '../db/prisma';
import type { Logger } from '../logger';
import type { ChannelHandler } from '../outbox/channel';
import type { EventPublisher } from '../runtime/event-publisher';
import { Ledger, type ChargeNotices } from './ledger';

export interface ChargeNoticesChannelOptions {
  db: Db;
  config: Config;
  events: Pick<EventPublisher, 'notificationsCreated'>;
  log: Logger;
  /** The server's clock (the notices' time), as the services get it. */
  now: () => Date;
  retryDelaysMs: number[];
}

/**
 * The outbox's CHARGE_NOTICES channel: "delivers" a large batch of charges (the nightly
 * sweep's) by writing their CHARGE_CREATED notifications and emails in a transaction of its
 * own, as Ledger.notifyNow does for a few inside the change. Their keys make a retry or a
 * second delivery write nothing twice.
 */
export function createChargeNoticesChannel(options: ChargeNoticesChannelOptions): ChannelHandler {
  const ledger = new Ledger(options);
  return {
    retryDelaysMs: options.retryDelaysMs,
    async deliver(payload) {
      const { chargeIds } = payload as ChargeNotices;
      try {
        const created = await inTransaction(options.db.prisma, async (tx) => ledger.notifyNow(tx, await Ledger.load(tx, chargeIds), options.now()), { timeout: 60_000 });
        options.events.notificationsCreated(created);
        return { status: 'SENT' };
      } catch (error) {
        options.log.warn({ err: error, charges: chargeIds.length }, 'charge notices not written; retrying');
        return { status: 'RETRY', error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
