import type { Actor } from '../auth/actor';
import type { Tx } from '../db/transaction';
import { Ledger } from '../billing/ledger';
import { Notifier } from '../notifications/notifier';
import type { ServiceDeps } from './context';
import type { EventPublisher, SessionChange } from '../runtime/event-publisher';
import { refreshEndsOfSessions } from './series-ends';
import { changeStatus } from './session-writes';

/**
 * THE cancellation sequence, shared by cancelling a session, a block, cancelling a series
 * and series changes and pauses, so they cannot drift apart: the status change (history,
 * reminders voided), the derived ends of count-limited series, the SESSION_CANCELLED
 * notices, the charges; after commit, publishCancellation. Callers differ only by the
 * options, each of which says what its case decides.
 */
export interface CancelOptions {
  actor: Pick<Actor, 'id' | 'role'>;
  now: Date;
  reason: string | null;
  /**
   * The studio took the occurrences away (a coach, an owner, a block): count-limited series
   * make them up at their end. False where the caller sets the series' ends itself.
   */
  refreshEnds: boolean;
  /** One SESSION_CANCELLED notice per session; false where the caller writes one notice for the whole series. */
  noticePerSession: boolean;
  /**
   * The Ledger judges the charges (a member's own cancellation may be late; staff ones
   * charge nothing). False where the member did not give the session up: a series change or pause.
   */
  charge: boolean;
}

export interface Cancellation {
  changes: SessionChange[];
  /** Notifications written (notices, then charges' notices), to publish after commit. */
  notified: string[];
}

/** Cancels the still SCHEDULED ones of `sessionIds` inside `tx`; nothing at all for an empty list. */
export async function cancelSessions(tx: Tx, deps: ServiceDeps, sessionIds: string[], options: CancelOptions): Promise<Cancellation> {
  const { actor, now } = options;
  const changes = await changeStatus(tx, sessionIds, 'CANCELLED', actor.id, now, options.reason);
  if (changes.length === 0) return { changes, notified: [] };
  const cancelled = changes.map((c) => c.sessionId);
  if (options.refreshEnds) await refreshEndsOfSessions(tx, cancelled);
  const notified = options.noticePerSession ? await new Notifier(deps).sessionsCancelled(tx, cancelled, actor.id, now) : [];
  if (options.charge) {
    notified.push(...(await new Ledger(deps).statusChanged(tx, cancelled, 'CANCELLED', { actorId: actor.id, now, memberCancellation: actor.role === 'MEMBER' })));
  }
  return { changes, notified };
}

/** After commit: the live events and the notifications of a cancellation (and whatever else the caller wrote). */
export function publishCancellation(events: Pick<EventPublisher, 'sessionsChanged' | 'notificationsCreated'>, changes: SessionChange[], notified: string[]): void {
  if (changes.length > 0) events.sessionsChanged(changes);
  events.notificationsCreated(notified);
}
