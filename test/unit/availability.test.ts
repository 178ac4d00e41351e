import {
  DAY_MS,
  MAX_ADDITION_MS,
  MAX_BLOCK_MS,
  availableWindows,
  weeklySlotProblem,
  windowProblem,
  type WeeklySlot,
} from '../../src/domain/availability.js';
import { coversInterval, type Interval } from '../../src/domain/intervals.js';
import { occurrencesBetween } from '../../src/domain/weekly-rule.js';

// Instants are written as UTC ISO strings, so nothing depends on process.env.TZ.
const BERLIN = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const iv = (start: string, end: string): Interval => ({ start: at(start), end: at(end) });
const iso = (list: Interval[]) => list.map((w) => [w.start.toISOString(), w.end.toISOString()]);
const slot = (dayOfWeek: number, start: string, end: string): WeeklySlot => {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return { dayOfWeek, startMinute: minutes(start), endMinute: minutes(end) };
};
const everyDay = (start: string, end: string) => [0, 1, 2, 3, 4, 5, 6].map((d) => slot(d, start, end));
const nothing = { additions: [], blocks: [], booked: [] };

describe('weeklySlotProblem', () => {
  it('accepts several slots on one day, in any order, and the same hours on different days', () => {
    expect(weeklySlotProblem([slot(1, '14:00', '18:00'), slot(1, '07:00', '11:00'), slot(2, '07:00', '11:00')])).toBeNull();
  });

  it('accepts back-to-back slots, because 12:00 belongs only to the second', () => {
    expect(weeklySlotProblem([slot(3, '09:00', '12:00'), slot(3, '12:00', '15:00')])).toBeNull();
  });

  it('accepts an empty week', () => {
    expect(weeklySlotProblem([])).toBeNull();
  });

  it('reports an overlap on the later slot of the input, naming the earlier one', () => {
    expect(weeklySlotProblem([slot(1, '09:00', '12:00'), slot(1, '11:00', '13:00')])).toEqual({
      index: 1,
      field: 'startTime',
      message: 'Slot overlaps slot 0 (Monday 09:00-12:00)',
    });
  });

  it('reports the later input slot even when it starts first', () => {
    expect(weeklySlotProblem([slot(5, '11:00', '13:00'), slot(5, '09:00', '12:00')])).toMatchObject({ index: 1, message: 'Slot overlaps slot 0 (Friday 11:00-13:00)' });
  });

  it('finds a slot nested inside a long one, even with a harmless slot between them', () => {
    const slots = [slot(2, '10:00', '11:00'), slot(2, '12:00', '13:00'), slot(2, '08:00', '18:00')];
    expect(weeklySlotProblem(slots)).toMatchObject({ index: 2, field: 'startTime', message: 'Slot overlaps slot 0 (Tuesday 10:00-11:00)' });
  });

  it('finds an overlap between slots far apart in the input, with other days between them', () => {
    expect(weeklySlotProblem([slot(4, '08:00', '18:00'), slot(0, '09:00', '10:00'), slot(4, '17:59', '19:00')])).toMatchObject({ index: 2 });
  });

  it('reports identical slots as overlapping', () => {
    expect(weeklySlotProblem([slot(6, '09:00', '10:00'), slot(6, '09:00', '10:00')])).toMatchObject({ index: 1, field: 'startTime' });
  });

  it.each([
    ['7', 7],
    ['-1', -1],
    ['1.5', 1.5],
  ])('refuses dayOfWeek %s', (_label, dayOfWeek) => {
    expect(weeklySlotProblem([slot(1, '09:00', '10:00'), { dayOfWeek, startMinute: 540, endMinute: 600 }])).toMatchObject({ index: 1, field: 'dayOfWeek' });
  });

  it('refuses an end before or equal to the start on the end time', () => {
    expect(weeklySlotProblem([slot(1, '10:00', '09:00')])).toMatchObject({ index: 0, field: 'endTime', message: 'endTime must be after startTime' });
    expect(weeklySlotProblem([slot(1, '10:00', '10:00')])).toMatchObject({ index: 0, field: 'endTime' });
  });

  it('lets a slot end at 24:00, the midnight that ends its day, but not start there or end later', () => {
    expect(weeklySlotProblem([{ dayOfWeek: 1, startMinute: 1200, endMinute: 1440 }, { dayOfWeek: 2, startMinute: 0, endMinute: 120 }])).toBeNull();
    expect(weeklySlotProblem([{ dayOfWeek: 1, startMinute: 1440, endMinute: 1440 }])).toMatchObject({ field: 'startTime' });
    expect(weeklySlotProblem([{ dayOfWeek: 1, startMinute: 600, endMinute: 1441 }])).toMatchObject({ field: 'endTime', message: 'endTime must be a time of day, 00:00 to 24:00' });
    expect(weeklySlotProblem([{ dayOfWeek: 1, startMinute: -1, endMinute: 60 }])).toMatchObject({ field: 'startTime' });
  });

  it('names a slot ending at midnight "24:00" when it overlaps another', () => {
    expect(weeklySlotProblem([{ dayOfWeek: 1, startMinute: 1200, endMinute: 1440 }, { dayOfWeek: 1, startMinute: 1380, endMinute: 1440 }])).toMatchObject({
      index: 1,
      message: 'Slot overlaps slot 0 (Monday 20:00-24:00)',
    });
  });
});

describe('windowProblem', () => {
  const start = at('2027-01-04T09:00:00Z');
  const after = (ms: number) => ({ start, end: new Date(start.getTime() + ms) });

  it('accepts a window up to the limit, inclusive', () => {
    expect(windowProblem(after(1), MAX_ADDITION_MS)).toBeNull();
    expect(windowProblem(after(MAX_ADDITION_MS), MAX_ADDITION_MS)).toBeNull();
    expect(windowProblem(after(MAX_BLOCK_MS), MAX_BLOCK_MS)).toBeNull();
  });

  it('refuses a window one millisecond over the limit, saying how long it may be', () => {
    expect(windowProblem(after(MAX_ADDITION_MS + 1), MAX_ADDITION_MS)).toBe('The window may last at most 31 days');
    expect(windowProblem(after(MAX_BLOCK_MS + 1), MAX_BLOCK_MS)).toBe('The window may last at most 180 days');
  });

  it('refuses an empty or inverted window', () => {
    expect(windowProblem(after(0), DAY_MS)).toBe('endTime must be after startTime');
    expect(windowProblem(after(-60_000), DAY_MS)).toBe('endTime must be after startTime');
  });
});

describe('availableWindows', () => {
  it('maps 09:00-17:00 Berlin to 08:00Z in winter and 07:00Z from the spring change on (Sunday 2027-03-28)', () => {
    const result = availableWindows({ weekly: everyDay('09:00', '17:00'), timezone: BERLIN, ...nothing, range: iv('2027-03-27T00:00:00Z', '2027-03-30T00:00:00Z') });
    expect(iso(result)).toEqual([
      ['2027-03-27T08:00:00.000Z', '2027-03-27T16:00:00.000Z'],
      ['2027-03-28T07:00:00.000Z', '2027-03-28T15:00:00.000Z'],
      ['2027-03-29T07:00:00.000Z', '2027-03-29T15:00:00.000Z'],
    ]);
  });

  it('maps 09:00-17:00 Berlin back to 08:00Z from the autumn change on (Sunday 2026-10-25)', () => {
    const result = availableWindows({ weekly: everyDay('09:00', '17:00'), timezone: BERLIN, ...nothing, range: iv('2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z') });
    expect(iso(result)).toEqual([
      ['2026-10-24T07:00:00.000Z', '2026-10-24T15:00:00.000Z'],
      ['2026-10-25T08:00:00.000Z', '2026-10-25T16:00:00.000Z'],
    ]);
  });

  it('gives hours spanning the change their real length: 01:00-05:00 is 3 hours in spring, 5 in autumn', () => {
    const spring = availableWindows({ weekly: [slot(0, '01:00', '05:00')], timezone: BERLIN, ...nothing, range: iv('2027-03-28T00:00:00Z', '2027-03-29T00:00:00Z') });
    expect(iso(spring)).toEqual([['2027-03-28T00:00:00.000Z', '2027-03-28T03:00:00.000Z']]);
    const autumn = availableWindows({ weekly: [slot(0, '01:00', '05:00')], timezone: BERLIN, ...nothing, range: iv('2026-10-24T22:00:00Z', '2026-10-26T00:00:00Z') });
    expect(iso(autumn)).toEqual([['2026-10-24T23:00:00.000Z', '2026-10-25T04:00:00.000Z']]);
  });

  it('merges an addition that touches the weekly hours into one window, and one that overlaps them', () => {
    const result = availableWindows({
      weekly: [slot(1, '09:00', '12:00'), slot(1, '14:00', '17:00')],
      timezone: BERLIN,
      additions: [iv('2027-01-04T11:00:00Z', '2027-01-04T13:00:00Z'), iv('2027-01-04T16:00:00Z', '2027-01-04T18:00:00Z')],
      blocks: [],
      booked: [],
      range: iv('2027-01-04T00:00:00Z', '2027-01-05T00:00:00Z'),
    });
    // Weekly hours are 08-11Z and 13-16Z; the additions bridge the lunch gap and extend the evening.
    expect(iso(result)).toEqual([['2027-01-04T08:00:00.000Z', '2027-01-04T18:00:00.000Z']]);
  });

  it('subtracts a block that spans the spring-forward night from both days', () => {
    const result = availableWindows({
      weekly: everyDay('09:00', '17:00'),
      timezone: BERLIN,
      additions: [],
      blocks: [iv('2027-03-27T12:00:00Z', '2027-03-28T09:00:00Z')],
      booked: [],
      range: iv('2027-03-27T00:00:00Z', '2027-03-29T00:00:00Z'),
    });
    expect(iso(result)).toEqual([
      ['2027-03-27T08:00:00.000Z', '2027-03-27T12:00:00.000Z'],
      ['2027-03-28T09:00:00.000Z', '2027-03-28T15:00:00.000Z'],
    ]);
  });

  it('takes booked sessions out, leaving no gap between back-to-back ones and keeping the time around them', () => {
    const result = availableWindows({
      weekly: [slot(1, '09:00', '17:00')],
      timezone: BERLIN,
      additions: [],
      blocks: [],
      booked: [iv('2027-01-04T09:00:00Z', '2027-01-04T10:00:00Z'), iv('2027-01-04T10:00:00Z', '2027-01-04T11:00:00Z')],
      range: iv('2027-01-04T00:00:00Z', '2027-01-05T00:00:00Z'),
    });
    expect(iso(result)).toEqual([
      ['2027-01-04T08:00:00.000Z', '2027-01-04T09:00:00.000Z'],
      ['2027-01-04T11:00:00.000Z', '2027-01-04T16:00:00.000Z'],
    ]);
  });

  it('lets a block remove an addition entirely', () => {
    const result = availableWindows({
      weekly: [],
      timezone: BERLIN,
      additions: [iv('2027-01-09T10:00:00Z', '2027-01-09T12:00:00Z')],
      blocks: [iv('2027-01-09T00:00:00Z', '2027-01-10T00:00:00Z')],
      booked: [],
      range: iv('2027-01-04T00:00:00Z', '2027-01-11T00:00:00Z'),
    });
    expect(result).toEqual([]);
  });

  it('clips to the range, cutting a window the range starts or ends inside', () => {
    const result = availableWindows({ weekly: [slot(1, '09:00', '17:00')], timezone: BERLIN, ...nothing, range: iv('2027-01-04T10:30:00Z', '2027-01-04T12:00:00Z') });
    expect(iso(result)).toEqual([['2027-01-04T10:30:00.000Z', '2027-01-04T12:00:00.000Z']]);
  });

  it('uses the given timezone, not the process one: the same hours in New York are 14:00Z-22:00Z in January', () => {
    const result = availableWindows({ weekly: [slot(1, '09:00', '17:00')], timezone: 'America/New_York', ...nothing, range: iv('2027-01-04T00:00:00Z', '2027-01-05T06:00:00Z') });
    expect(iso(result)).toEqual([['2027-01-04T14:00:00.000Z', '2027-01-04T22:00:00.000Z']]);
  });
});

describe('windows of consecutive days meet at midnight', () => {
  // Monday 20:00-24:00 and Tuesday 00:00-02:00: one evening, 20:00 to 02:00.
  const lateMonday = { dayOfWeek: 1, startMinute: 1200, endMinute: 1440 };
  const earlyTuesday = { dayOfWeek: 2, startMinute: 0, endMinute: 120 };
  const windows = (weekly: WeeklySlot[], timezone: string, range: Interval) => iso(availableWindows({ weekly, timezone, ...nothing, range }));

  it('merges Monday 20:00-24:00 and Tuesday 00:00-02:00 into one window, so 23:00-01:00 is bookable (Berlin, winter)', () => {
    expect(windows([lateMonday, earlyTuesday], BERLIN, iv('2026-01-12T00:00:00Z', '2026-01-14T00:00:00Z'))).toEqual([
      ['2026-01-12T19:00:00.000Z', '2026-01-13T01:00:00.000Z'],
    ]);
  });

  it('meets across a spring-forward that happens at midnight (Havana, 2026-03-08 00:00 -> 01:00)', () => {
    // Saturday 20:00-24:00 ends at the first instant of Sunday (01:00 EDT-like, 05:00Z), where Sunday 00:00-02:00 starts.
    const saturday = { dayOfWeek: 6, startMinute: 1200, endMinute: 1440 };
    const sunday = { dayOfWeek: 0, startMinute: 0, endMinute: 120 };
    expect(windows([saturday, sunday], 'America/Havana', iv('2026-03-07T12:00:00Z', '2026-03-08T12:00:00Z'))).toEqual([
      ['2026-03-08T01:00:00.000Z', '2026-03-08T06:00:00.000Z'],
    ]);
  });

  it('meets across a fall-back at midnight (Santiago, Saturday 2026-04-04 24:00 -> 23:00): the repeated hour belongs to Saturday', () => {
    const saturday = { dayOfWeek: 6, startMinute: 1200, endMinute: 1440 };
    const sunday = { dayOfWeek: 0, startMinute: 0, endMinute: 120 };
    expect(windows([saturday, sunday], 'America/Santiago', iv('2026-04-04T12:00:00Z', '2026-04-05T12:00:00Z'))).toEqual([
      ['2026-04-04T23:00:00.000Z', '2026-04-05T06:00:00.000Z'], // 20:00 -03 .. 02:00 -04: seven real hours
    ]);
  });

  it('fits a weekly series ending at 24:00 into hours ending at 24:00, also on the night Havana skips midnight', () => {
    const rule = { dayOfWeek: 6, startMinute: 1320, endMinute: 1440, timezone: 'America/Havana', startDate: '2026-02-28', endDate: '2026-03-14' };
    const occurrences = occurrencesBetween(rule, at('2026-02-01T00:00:00Z'), at('2026-04-01T00:00:00Z'));
    // 22:00-24:00 local; on 2026-03-07 the two hours end at 01:00 daylight time (05:00Z), the first instant of Sunday.
    expect(occurrences.map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual([
      ['2026-03-01T03:00:00.000Z', '2026-03-01T05:00:00.000Z'],
      ['2026-03-08T03:00:00.000Z', '2026-03-08T05:00:00.000Z'],
      ['2026-03-15T02:00:00.000Z', '2026-03-15T04:00:00.000Z'],
    ]);
    const hours = availableWindows({ weekly: [{ dayOfWeek: 6, startMinute: 1200, endMinute: 1440 }], timezone: 'America/Havana', ...nothing, range: iv('2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z') });
    expect(occurrences.every((o) => coversInterval(hours, o))).toBe(true);
  });

  it('leaves a gap when only one side reaches midnight', () => {
    expect(windows([{ ...lateMonday, endMinute: 1439 }, earlyTuesday], BERLIN, iv('2026-01-12T00:00:00Z', '2026-01-14T00:00:00Z'))).toEqual([
      ['2026-01-12T19:00:00.000Z', '2026-01-12T22:59:00.000Z'],
      ['2026-01-12T23:00:00.000Z', '2026-01-13T01:00:00.000Z'],
    ]);
  });
});
