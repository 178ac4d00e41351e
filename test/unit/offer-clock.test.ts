import { nextOfferInstant, offerExpiresAt, quietWindowAt } from '../../src/domain/offer-clock';

const BERLIN = 'Europe/Berlin';
const night = { startMinute: 22 * 60, endMinute: 7 * 60 };
const lunch = { startMinute: 13 * 60, endMinute: 14 * 60 };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("a waitlist offer's clock", () => {
  it('runs straight through when the studio has no quiet hours', () => {
    expect(iso(offerExpiresAt(at('2030-01-10T21:50:00Z'), 30, null, BERLIN))).toBe('2030-01-10T22:20:00.000Z');
  });

  it('stops for the night: made at 21:50 for 30 minutes with quiet hours 22:00-07:00, it expires at 07:20', () => {
    // Berlin is UTC+1 in January: 21:50 local = 20:50Z, 07:20 local = 06:20Z.
    expect(iso(offerExpiresAt(at('2030-01-10T20:50:00Z'), 30, night, BERLIN))).toBe('2030-01-11T06:20:00.000Z');
  });

  it('expires before the quiet hours when its minutes fit', () => {
    expect(iso(offerExpiresAt(at('2030-01-10T20:00:00Z'), 30, night, BERLIN))).toBe('2030-01-10T20:30:00.000Z');
    // Exactly at the start of the quiet hours.
    expect(iso(offerExpiresAt(at('2030-01-10T20:30:00Z'), 30, night, BERLIN))).toBe('2030-01-10T21:00:00.000Z');
  });

  it('made inside the quiet hours starts at their end', () => {
    expect(iso(offerExpiresAt(at('2030-01-11T02:00:00Z'), 30, night, BERLIN))).toBe('2030-01-11T06:30:00.000Z');
  });

  it('runs in the hours around quiet windows, across midnight or within a day', () => {
    // 12:00 local Jan 10: 12:00-22:00 (10 h), quiet, then 07:00-09:00 (2 h) = 09:00 local Jan 11.
    expect(iso(offerExpiresAt(at('2030-01-10T11:00:00Z'), 12 * 60, night, BERLIN))).toBe('2030-01-11T08:00:00.000Z');
    // 12:00 local with lunch 13:00-14:00: 12:00-13:00, then 14:00-15:00.
    expect(iso(offerExpiresAt(at('2030-01-10T11:00:00Z'), 2 * 60, lunch, BERLIN))).toBe('2030-01-10T14:00:00.000Z');
    // 36 hours over two nights: 12:00-22:00 (10), 07:00-22:00 (15), 07:00-18:00 (11).
    expect(iso(offerExpiresAt(at('2030-01-10T11:00:00Z'), 36 * 60, night, BERLIN))).toBe('2030-01-12T17:00:00.000Z');
  });

  it('follows the wall clock across a DST change (Berlin springs forward on 31 March 2030)', () => {
    // 21:50 CET (20:50Z) on 30 March; quiet until 07:00 CEST = 05:00Z; 20 minutes left -> 05:20Z.
    expect(iso(offerExpiresAt(at('2030-03-30T20:50:00Z'), 30, night, BERLIN))).toBe('2030-03-31T05:20:00.000Z');
  });
});

describe('quiet hours', () => {
  it('contain the instants from their start up to, not including, their end', () => {
    expect(quietWindowAt(at('2030-01-10T21:00:00Z'), night, BERLIN)).toEqual([at('2030-01-10T21:00:00Z'), at('2030-01-11T06:00:00Z')]);
    expect(quietWindowAt(at('2030-01-11T05:59:59Z'), night, BERLIN)).not.toBeNull();
    expect(quietWindowAt(at('2030-01-11T06:00:00Z'), night, BERLIN)).toBeNull();
    expect(quietWindowAt(at('2030-01-10T20:59:59Z'), night, BERLIN)).toBeNull();
  });

  it('hold offers back until they end', () => {
    expect(iso(nextOfferInstant(at('2030-01-10T23:00:00Z'), night, BERLIN))).toBe('2030-01-11T06:00:00.000Z');
    expect(iso(nextOfferInstant(at('2030-01-10T12:00:00Z'), night, BERLIN))).toBe('2030-01-10T12:00:00.000Z');
    expect(iso(nextOfferInstant(at('2030-01-10T12:00:00Z'), null, BERLIN))).toBe('2030-01-10T12:00:00.000Z');
  });
});
