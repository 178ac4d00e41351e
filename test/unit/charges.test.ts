import { chargeForStatusChange, isLateCancellation, packToUse, type ChargePolicy, type StatusChangeFacts } from '../../src/domain/charges.js';

const START = new Date('2026-03-29T08:00:00.000Z');
const MINUTE = 60_000;
const before = (minutes: number) => new Date(START.getTime() - minutes * MINUTE);
const POLICY: ChargePolicy = { lateCancelWindowMinutes: 1440, lateCancelFeePercent: 50, noShowFeePercent: 100 };
const change = (facts: Partial<StatusChangeFacts>): StatusChangeFacts => ({
  to: 'COMPLETED',
  priceCents: 4000,
  startTime: START,
  at: new Date(START.getTime() + 60 * MINUTE),
  byMember: false,
  ...facts,
});

describe('chargeForStatusChange', () => {
  it('charges the price when a session is completed', () => {
    expect(chargeForStatusChange(change({ to: 'COMPLETED' }), POLICY)).toEqual({ kind: 'SESSION', amountCents: 4000 });
  });

  it('charges the no-show fee as a percent of the price', () => {
    expect(chargeForStatusChange(change({ to: 'NO_SHOW' }), { ...POLICY, noShowFeePercent: 25 })).toEqual({ kind: 'NO_SHOW_FEE', amountCents: 1000 });
  });

  it("charges a member's own cancellation inside the window, not one exactly at it", () => {
    const late = change({ to: 'CANCELLED', byMember: true, at: before(1439) });
    const onTheEdge = change({ to: 'CANCELLED', byMember: true, at: before(1440) });
    expect(chargeForStatusChange(late, POLICY)).toEqual({ kind: 'LATE_CANCEL_FEE', amountCents: 2000 });
    expect(chargeForStatusChange(onTheEdge, POLICY)).toBeNull();
  });

  it('never charges a cancellation by staff, however late', () => {
    expect(chargeForStatusChange(change({ to: 'CANCELLED', byMember: false, at: before(1) }), POLICY)).toBeNull();
  });

  it('writes no line for a free session or a 0% fee', () => {
    expect(chargeForStatusChange(change({ priceCents: null }), POLICY)).toBeNull();
    expect(chargeForStatusChange(change({ priceCents: 0 }), POLICY)).toBeNull();
    expect(chargeForStatusChange(change({ to: 'NO_SHOW' }), { ...POLICY, noShowFeePercent: 0 })).toBeNull();
  });

  it('rounds fees half up in whole cents', () => {
    expect(chargeForStatusChange(change({ to: 'NO_SHOW', priceCents: 999 }), { ...POLICY, noShowFeePercent: 50 })).toEqual({ kind: 'NO_SHOW_FEE', amountCents: 500 });
  });

  it('charges nothing for a status that is not an outcome', () => {
    expect(chargeForStatusChange(change({ to: 'SCHEDULED' }), POLICY)).toBeNull();
  });
});

describe('isLateCancellation', () => {
  it('is late less than the window before the start, including after the start', () => {
    expect(isLateCancellation(START, before(60), 120)).toBe(true);
    expect(isLateCancellation(START, before(120), 120)).toBe(false);
    expect(isLateCancellation(START, before(0), 0)).toBe(false);
  });
});

describe('packToUse', () => {
  const pack = (id: string, remaining: number, expiresAt: string | null, purchasedAt = '2026-01-01T00:00:00Z') => ({
    id,
    remaining,
    expiresAt: expiresAt ? new Date(expiresAt) : null,
    purchasedAt: new Date(purchasedAt),
  });

  it('takes the pack expiring first, never-expiring ones last', () => {
    const packs = [pack('forever', 5, null), pack('june', 5, '2026-06-30T00:00:00Z'), pack('april', 5, '2026-04-30T00:00:00Z')];
    expect(packToUse(packs, START)?.id).toBe('april');
  });

  it('skips empty packs and packs expired at the session start', () => {
    const packs = [pack('empty', 0, '2026-04-01T00:00:00Z'), pack('expired', 3, START.toISOString()), pack('forever', 1, null)];
    expect(packToUse(packs, START)?.id).toBe('forever');
  });

  it('takes the oldest purchase among packs expiring together', () => {
    const packs = [pack('b', 1, null, '2026-02-01T00:00:00Z'), pack('a', 1, null, '2026-01-01T00:00:00Z')];
    expect(packToUse(packs, START)?.id).toBe('a');
  });

  it('has nothing to offer without credits', () => {
    expect(packToUse([], START)).toBeNull();
    expect(packToUse([pack('empty', 0, null)], START)).toBeNull();
  });
});
