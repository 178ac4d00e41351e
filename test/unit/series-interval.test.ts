import { nthOccurrenceDate, occurrencesBetween, type WeeklyRule } from '../../src/domain/weekly-rule';
import { seriesOverlap } from '../../src/domain/series-overlap';

// Every N weeks (DESIGN.md "Series"): occurrences on dayOfWeek in weeks 0, N, 2N... counted from
// the first occurrence on or after startDate, in the series' timezone.

const rule = (over: Partial<WeeklyRule>): WeeklyRule => ({
  dayOfWeek: 2,
  startMinute: 600,
  endMinute: 660,
  timezone: 'Europe/Berlin',
  startDate: '2026-01-01', // a Thursday: the first Tuesday is 2026-01-06
  endDate: null,
  ...over,
});

/** The wall clock of an instant in a zone, read by Intl: an oracle independent of zone-time.ts. */
function wallClock(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

const daysBetween = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
const YEAR = [new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')] as const;

describe('a series every N weeks', () => {
  it.each([1, 2, 3, 4, 12])('every %i week(s): evenly spaced local dates from the first Tuesday on or after startDate', (n) => {
    const dates = occurrencesBetween(rule({ intervalWeeks: n }), ...YEAR).map((o) => o.localDate);
    expect(dates[0]).toBe('2026-01-06');
    expect(dates.length).toBe(Math.ceil(52 / n)); // 2026 has 52 Tuesdays from 01-06 to 12-29
    dates.forEach((date, i) => expect(daysBetween('2026-01-06', date)).toBe(7 * n * i));
  });

  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe'])(
    'keeps 10:00 wall-clock every other week across both DST changes in %s',
    (timezone) => {
      const occurrences = occurrencesBetween(rule({ intervalWeeks: 2, timezone }), ...YEAR);
      expect(occurrences).toHaveLength(26);
      for (const o of occurrences) {
        expect(wallClock(o.start, timezone)).toEqual({ date: o.localDate, time: '10:00' });
        expect(o.end.getTime() - o.start.getTime()).toBe(60 * 60_000);
      }
    },
  );

  it('keeps its rhythm whatever window it is asked about', () => {
    const series = rule({ intervalWeeks: 3 });
    const whole = occurrencesBetween(series, ...YEAR).map((o) => o.localDate);
    const pieces: string[] = [];
    for (let month = 0; month < 12; month++) {
      const from = new Date(Date.UTC(2026, month, 1));
      const to = new Date(Date.UTC(2026, month + 1, 1));
      pieces.push(...occurrencesBetween(series, from, to).map((o) => o.localDate));
    }
    expect(pieces).toEqual(whole);
  });

  it('ends on endDate like a weekly series', () => {
    const dates = occurrencesBetween(rule({ intervalWeeks: 2, endDate: '2026-02-03' }), ...YEAR).map((o) => o.localDate);
    expect(dates).toEqual(['2026-01-06', '2026-01-20', '2026-02-03']);
  });

  it('refuses an interval outside 1-12', () => {
    for (const intervalWeeks of [0, 13, 1.5, -1]) {
      expect(() => occurrencesBetween(rule({ intervalWeeks }), ...YEAR)).toThrow(RangeError);
    }
  });
});

describe('nthOccurrenceDate', () => {
  it('is where a count-limited series ends when nothing is taken away', () => {
    expect(nthOccurrenceDate(rule({}), 1)).toBe('2026-01-06');
    expect(nthOccurrenceDate(rule({}), 10)).toBe('2026-03-10');
    expect(nthOccurrenceDate(rule({ intervalWeeks: 2 }), 10)).toBe('2026-05-12');
  });

  it('agrees with the occurrences themselves', () => {
    const series = rule({ intervalWeeks: 4, timezone: 'America/New_York' });
    const dates = occurrencesBetween(series, ...YEAR).map((o) => o.localDate);
    dates.forEach((date, i) => expect(nthOccurrenceDate(series, i + 1)).toBe(date));
  });

  it('refuses n below 1', () => {
    expect(() => nthOccurrenceDate(rule({}), 0)).toThrow(RangeError);
  });
});

describe('seriesOverlap with intervals', () => {
  it('lets two fortnightly series share a slot in alternate weeks', () => {
    const even = rule({ intervalWeeks: 2, startDate: '2026-01-06' });
    const odd = rule({ intervalWeeks: 2, startDate: '2026-01-13' });
    expect(seriesOverlap(even, odd)).toBe(false);
    expect(seriesOverlap(even, rule({ intervalWeeks: 2, startDate: '2026-01-20' }))).toBe(true);
  });

  it('finds the week where every-2 and every-3 meet', () => {
    expect(seriesOverlap(rule({ intervalWeeks: 2, startDate: '2026-01-06' }), rule({ intervalWeeks: 3, startDate: '2026-01-13' }))).toBe(true);
  });

  it('sees that a weekly series meets every fortnightly one', () => {
    expect(seriesOverlap(rule({}), rule({ intervalWeeks: 2, startDate: '2026-01-13' }))).toBe(true);
  });

  it('finds a clash between zones that happens only in a late cycle of alignments', () => {
    // Every 12 weeks in New York and every 11 weeks in London, an hour apart except in the
    // weeks between the two zones' DST changes: they meet only when an alignment falls there,
    // once, on 2042-03-10 (found by brute force below), 15 years after both start.
    const newYork = rule({ timezone: 'America/New_York', dayOfWeek: 1, startMinute: 300, endMinute: 360, startDate: '2027-01-04', intervalWeeks: 12 });
    const london = rule({ timezone: 'Europe/London', dayOfWeek: 1, startMinute: 540, endMinute: 600, startDate: '2027-01-04', intervalWeeks: 11 });
    const meetings = occurrencesBetween(newYork, new Date('2027-01-01T00:00:00Z'), new Date('2060-01-01T00:00:00Z'))
      .filter((x) => occurrencesBetween(london, x.start, x.end).length > 0)
      .map((x) => x.localDate);
    expect(meetings).toEqual(['2042-03-10']);
    expect(seriesOverlap(newYork, london)).toBe(true);
    expect(seriesOverlap(newYork, { ...london, endDate: '2042-03-09' })).toBe(false);
  });
});
