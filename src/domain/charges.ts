/**
 * Which charge a session's status change writes (DESIGN.md "Prices and charges").
 * Pure rules, no I/O; the billing service writes what these decide, in the
 * transaction of the status change, at most one line per (session, kind).
 */
import { percentOf } from './money';
import type { SessionStatus } from './lifecycle';

export type ChargeKind = 'SESSION' | 'LATE_CANCEL_FEE' | 'NO_SHOW_FEE' | 'PACK_PURCHASE' | 'ADJUSTMENT';

/** The studio's policy, as in StudioSettings. */
export interface ChargePolicy {
  lateCancelWindowMinutes: number;
  lateCancelFeePercent: number;
  noShowFeePercent: number;
}

export interface StatusChangeFacts {
  to: SessionStatus;
  /** Fixed when the session was created; null = free. */
  priceCents: number | null;
  startTime: Date;
  /** When the change happens. */
  at: Date;
  /** The member cancelled their own session (staff cancellations, blocks, pauses and series changes charge nothing). */
  byMember: boolean;
}

export interface ChargeDecision {
  kind: Extract<ChargeKind, 'SESSION' | 'LATE_CANCEL_FEE' | 'NO_SHOW_FEE'>;
  amountCents: number;
}

/** The charge a status change writes, or null. A free session (or a 0% fee) writes no line. */
export function chargeForStatusChange(change: StatusChangeFacts, policy: ChargePolicy): ChargeDecision | null {
  const price = change.priceCents;
  if (price === null || price <= 0) return null;
  const decision = ((): ChargeDecision | null => {
    switch (change.to) {
      case 'COMPLETED':
        return { kind: 'SESSION', amountCents: price };
      case 'NO_SHOW':
        return { kind: 'NO_SHOW_FEE', amountCents: percentOf(price, policy.noShowFeePercent) };
      case 'CANCELLED':
        return change.byMember && isLateCancellation(change.startTime, change.at, policy.lateCancelWindowMinutes)
          ? { kind: 'LATE_CANCEL_FEE', amountCents: percentOf(price, policy.lateCancelFeePercent) }
          : null;
      default:
        return null;
    }
  })();
  return decision && decision.amountCents > 0 ? decision : null;
}

/** Less than the window before the start is late; exactly the window is not. */
export function isLateCancellation(startTime: Date, at: Date, windowMinutes: number): boolean {
  return startTime.getTime() - at.getTime() < windowMinutes * 60_000;
}

export interface PackFacts {
  id: string;
  remaining: number;
  purchasedAt: Date;
  /** null = never expires. */
  expiresAt: Date | null;
}

/**
 * The pack that pays a session's charge: credits left, not expired at the session's
 * start, the one expiring first (never-expiring last, then the oldest purchase).
 */
export function packToUse<P extends PackFacts>(packs: readonly P[], sessionStart: Date): P | null {
  const usable = packs.filter((p) => p.remaining > 0 && (p.expiresAt === null || p.expiresAt.getTime() > sessionStart.getTime()));
  usable.sort(
    (a, b) =>
      (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
      a.purchasedAt.getTime() - b.purchasedAt.getTime() ||
      a.id.localeCompare(b.id),
  );
  return usable[0] ?? null;
}
