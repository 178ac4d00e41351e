import type { OutboxChannel } from '../generated/prisma/client';

/** What the worker hands a channel besides the payload. */
export interface OutboxRow {
  id: string;
  channel: OutboxChannel;
  /** This attempt's number, 1 for the first. */
  attempt: number;
  dedupeKey: string;
  notificationId: string | null;
  createdAt: Date;
}

/**
 * What one delivery attempt came to. RETRY waits for the channel's next delay (or
 * `retryAfterMs`) and becomes FAILED after the last; FAILED and SKIPPED are final.
 */
export type DeliveryOutcome =
  | { status: 'SENT' }
  | { status: 'RETRY'; error: string; retryAfterMs?: number }
  | { status: 'FAILED'; error: string }
  | { status: 'SKIPPED'; reason: string };

export interface ChannelHandler {
  /** Must not throw (a throw counts as RETRY) and must give up by itself in bounded time (timeouts). */
  deliver(payload: unknown, row: OutboxRow): Promise<DeliveryOutcome>;
  /** Delay before the 2nd, 3rd, ... attempt; after the last attempt fails, FAILED. */
  retryDelaysMs: number[];
  /** Called once when the worker stops (close pooled connections). */
  close?(): Promise<void> | void;
}

/** Every channel of the outbox enum must have a handler: add a value, add its handler in channels.ts. */
export type ChannelRegistry = Record<OutboxChannel, ChannelHandler>;
