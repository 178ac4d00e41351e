import type { Db } from '../db/prisma';
import type { Metrics } from './metrics';

const CHANNELS = ['EMAIL', 'WEBHOOK', 'CHARGE_NOTICES'] as const;

/** outbox_pending{channel}, read at scrape time (the due-row index serves it). */
export async function countPendingOutbox(db: Db, metrics: Metrics): Promise<void> {
  const { rows } = await db.pool.query<{ channel: string; pending: number }>(
    `SELECT channel::text AS channel, count(*)::int AS pending FROM outbox_messages WHERE status = 'PENDING' GROUP BY channel`,
  );
  for (const channel of CHANNELS) metrics.outboxPending.set({ channel }, rows.find((row) => row.channel === channel)?.pending ?? 0);
}
