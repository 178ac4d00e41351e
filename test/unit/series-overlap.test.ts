import type { WeeklyRule } from '../../src/domain/weekly-rule';
import { seriesOverlap } from '../../src/domain/series-overlap';

const rule = (over: Partial<WeeklyRule>): WeeklyRule => ({
  dayOfWeek: 1,
  startMinute: 600,
  endMinute: 660,
  timezone: 'Europe/Berlin',
  startDate: '2027-01-04',
  endDate: null,
  ...over,
});

describe('seriesOverlap', () => {
  it('sees the same weekday and overlapping minutes in the same zone as a clash', () => {
    expect(seriesOverlap(rule({}), rule({ startMinute: 630, endMinute: 690 }))).toBe(true);
    expect(seriesOverlap(rule({}), rule({ startMinute: 540, endMinute: 601 }))).toBe(true);
  });

  it('lets back-to-back slots and other weekdays pass', () => {
    expect(seriesOverlap(rule({}), rule({ startMinute: 660, endMinute: 720 }))).toBe(false);
    expect(seriesOverlap(rule({}), rule({ dayOfWeek: 2 }))).toBe(false);
  });

  it('needs the date ranges to share an occurrence, not just to touch', () => {
    expect(seriesOverlap(rule({ endDate: '2027-02-01' }), rule({ startDate: '2027-02-02' }))).toBe(false);
    expect(seriesOverlap(rule({ endDate: '2027-02-01' }), rule({ startDate: '2027-02-01' }))).toBe(true);
    // Ranges overlap only on days that are not Mondays.
    expect(seriesOverlap(rule({ endDate: '2027-02-03' }), rule({ startDate: '2027-02-02', endDate: '2027-02-07' }))).toBe(false);
  });

  it('compares different zones by instants: Berlin 11:00 is London 10:00 all year', () => {
    expect(seriesOverlap(rule({ timezone: 'Europe/London' }), rule({ startMinute: 660, endMinute: 720 }))).toBe(true);
    expect(seriesOverlap(rule({ timezone: 'Europe/London' }), rule({ startMinute: 720, endMinute: 780 }))).toBe(false);
  });

  it('finds clashes that exist only between two zones\' different DST dates (New York vs London in March)', () => {
    const newYork = rule({ timezone: 'America/New_York', startMinute: 300, endMinute: 360, startDate: '2027-01-04' });
    expect(seriesOverlap(newYork, rule({ timezone: 'Europe/London', startMinute: 540, endMinute: 600 }))).toBe(true);
    // ... but not when the series stops before those weeks.
    expect(seriesOverlap({ ...newYork, endDate: '2027-03-01' }, rule({ timezone: 'Europe/London', startMinute: 540, endMinute: 600 }))).toBe(false);
    expect(seriesOverlap(newYork, rule({ timezone: 'Europe/London', startMinute: 480, endMinute: 540 }))).toBe(false);
  });

  it('sees a clash across midnight between zones: Monday 23:30 in Berlin is Monday 22:30 in London', () => {
    expect(seriesOverlap(rule({ startMinute: 1410, endMinute: 1440 }), rule({ timezone: 'Europe/London', startMinute: 1350, endMinute: 1380 }))).toBe(true);
    // Tuesday 00:15 in Berlin is Monday 23:15 in London.
    expect(seriesOverlap(rule({ dayOfWeek: 2, startMinute: 15, endMinute: 45 }), rule({ timezone: 'Europe/London', startMinute: 1395, endMinute: 1425 }))).toBe(true);
  });
});
