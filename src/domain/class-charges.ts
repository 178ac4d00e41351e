/**
 * Which charge a class enrollment's change writes (DESIGN.md "Money for classes"). Pure:
 * the class ledger writes what this decides, in the change's transaction, at most one line
 * per (enrollment, kind).
 */
import { percentOf } from './money';
import type { ChargePolicy } from './charges';

export type ClassChargeKind = 'CLASS' | 'NO_SHOW_FEE' | 'LATE_CANCEL_FEE';

export interface ClassPrice {
  /** null: paid only with pack credits, or free. */
  priceCents: number | null;
  /** Pack credits one attendance takes (0: none). */
  creditsPerClass: number;
}

export interface ClassChargeDecision {
  kind: ClassChargeKind;
  /** Owed in money when no pack pays it. */
  amountCents: number;
  /** Credits a pack pays it with instead (0: money only). */
  credits: number;
}

/**
 * An attendance is the class's price (or its credits); a no-show and a late cancellation
 * the studio's percent of the price, or the same credits (the place was taken from
 * someone else). Nothing when the class is free and takes no credits.
 */
export function classChargeFor(to: 'ATTENDED' | 'NO_SHOW' | 'LATE_CANCELLED', price: ClassPrice, policy: ChargePolicy): ClassChargeDecision | null {
  const money = price.priceCents ?? 0;
  const decision: ClassChargeDecision =
    to === 'ATTENDED' ? { kind: 'CLASS', amountCents: money, credits: price.creditsPerClass }
    : to === 'NO_SHOW' ? { kind: 'NO_SHOW_FEE', amountCents: percentOf(money, policy.noShowFeePercent), credits: policy.noShowFeePercent > 0 ? price.creditsPerClass : 0 }
    : { kind: 'LATE_CANCEL_FEE', amountCents: percentOf(money, policy.lateCancelFeePercent), credits: policy.lateCancelFeePercent > 0 ? price.creditsPerClass : 0 };
  return decision.amountCents > 0 || decision.credits > 0 ? decision : null;
}

/**
 * Late-cancel fees to waive in a class: a fee stands while its place is still empty, so
 * with `free` empty places and `fees` standing fees (oldest first), the oldest
 * fees - free have had their places filled again.
 */
export function feesToWaive(standingFees: number, freePlaces: number): number {
  return Math.max(0, standingFees - Math.max(0, freePlaces));
}
