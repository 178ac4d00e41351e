import {
  byPlacementOrder,
  groupBySeries,
  horizonEnd,
  localToday,
  occurrenceCandidates,
  occurrenceKey,
  outsidePauses,
  sessionSpan,
  splitBlocked,
  splitEnded,
  withoutExisting,
  type Candidate,
  type PlannedSeries,
} from '../../src/domain/generation-plan';

// What a generation run plans, without a database. Instants are written as UTC ISO strings so
// the expectations hold whatever process.env.TZ is.

const series = (over: Partial<PlannedSeries> = {}): PlannedSeries => ({
  id: 'series-a',
  coachId: 'coach-1',
  memberId: 'member-1',
  roomId: 'room-1',
  dayOfWeek: 0, // Sunday
  startMinute: 9 * 60,
  endMinute: 10 * 60,
  timezone: 'Europe/Berlin',
  startDate: '2026-03-01',
  endDate: null,
  intervalWeeks: 1,
  occurrences: null,
  ...over,
});

const at = (iso: string) => new Date(iso);
const plan = (live: PlannedSeries[], now: string, weeks: number, takenAway: Set<string> = new Set()) =>
  occurrenceCandidates(live, at(now), horizonEnd(at(now), weeks), takenAway);
const starts = (candidates: Candidate[]) => candidates.map((c) => new Date(c.start).toISOString());
const candidate = (over: Partial<Candidate> & Pick<Candidate, 'start' | 'end'>): Candidate => ({
  recurringBookingId: 'series-a',
  coachId: 'coach-1',
  memberId: 'member-1',
  roomId: 'room-1',
  localDate: '2026-03-22',
  ...over,
});

describe('the horizon', () => {
  it('ends whole weeks after now', () => {
    expect(horizonEnd(at('2026-03-16T10:00:00Z'), 3).toISOString()).toBe('2026-04-06T10:00:00.000Z');
  });

  it('holds occurrences starting at now and not those starting at its end', () => {
    const { candidates } = plan([series({ timezone: 'UTC' })], '2026-05-03T09:00:00Z', 1);
    expect(starts(candidates)).toEqual(['2026-05-03T09:00:00.000Z']);
  });

  it('is measured in instants: after spring forward the next 09:00 is an hour less than a week away, so inside', () => {
    const { candidates } = plan([series()], '2026-03-22T08:00:00Z', 1);
    expect(starts(candidates)).toEqual(['2026-03-22T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });
});

describe('occurrence counts', () => {
  it('a weekly series has one occurrence per week of the horizon', () => {
    const { candidates } = plan([series({ timezone: 'UTC' })], '2026-05-01T00:00:00Z', 8);
    expect(candidates).toHaveLength(8);
    expect(candidates.map((c) => c.localDate)).toEqual(['2026-05-03', '2026-05-10', '2026-05-17', '2026-05-24', '2026-05-31', '2026-06-07', '2026-06-14', '2026-06-21']);
  });

  it('a series with an end date (a count-limited one has its derived end) stops at it, that date included', () => {
    const { candidates } = plan([series({ timezone: 'UTC', endDate: '2026-05-17', occurrences: 3 })], '2026-05-01T00:00:00Z', 8);
    expect(candidates.map((c) => c.localDate)).toEqual(['2026-05-03', '2026-05-10', '2026-05-17']);
  });

  it('a series starting inside the horizon has nothing before its start date', () => {
    const { candidates } = plan([series({ timezone: 'UTC', startDate: '2026-05-15' })], '2026-05-01T00:00:00Z', 4);
    expect(candidates.map((c) => c.localDate)).toEqual(['2026-05-17', '2026-05-24']);
  });

  it('lists occurrences series by series, each in time order, with its people and room', () => {
    const a = series({ timezone: 'UTC' });
    const b = series({ id: 'series-b', coachId: 'coach-2', memberId: 'member-2', roomId: 'room-2', timezone: 'UTC', dayOfWeek: 1 });
    const { candidates } = plan([a, b], '2026-05-01T00:00:00Z', 2);
    expect(candidates.map((c) => [c.recurringBookingId, c.localDate, c.coachId, c.memberId, c.roomId])).toEqual([
      ['series-a', '2026-05-03', 'coach-1', 'member-1', 'room-1'],
      ['series-a', '2026-05-10', 'coach-1', 'member-1', 'room-1'],
      ['series-b', '2026-05-04', 'coach-2', 'member-2', 'room-2'],
      ['series-b', '2026-05-11', 'coach-2', 'member-2', 'room-2'],
    ]);
  });
});

describe('interval weeks', () => {
  it('every 2 weeks counts from the first occurrence on or after the start date, not from now', () => {
    // 2026-01-01 is a Thursday: the first Tuesday is 01-06, then 01-20, 02-03.
    const s = series({ dayOfWeek: 2, startDate: '2026-01-01', intervalWeeks: 2 });
    const { candidates } = plan([s], '2026-01-10T00:00:00Z', 4);
    expect(candidates.map((c) => c.localDate)).toEqual(['2026-01-20', '2026-02-03']);
  });

  it('every 3 weeks gives a third of the weekly occurrences', () => {
    const s = series({ timezone: 'UTC', startDate: '2026-05-03', intervalWeeks: 3 });
    const { candidates } = plan([s], '2026-05-01T00:00:00Z', 9);
    expect(candidates.map((c) => c.localDate)).toEqual(['2026-05-03', '2026-05-24', '2026-06-14']);
  });
});

describe('DST weeks', () => {
  it('keeps the wall-clock time across spring forward (Berlin, 2026-03-29): 09:00 is 08:00Z, then 07:00Z', () => {
    const { candidates } = plan([series()], '2026-03-16T00:00:00Z', 2);
    expect(candidates.map((c) => [c.localDate, new Date(c.start).toISOString(), new Date(c.end).toISOString()])).toEqual([
      ['2026-03-22', '2026-03-22T08:00:00.000Z', '2026-03-22T09:00:00.000Z'],
      ['2026-03-29', '2026-03-29T07:00:00.000Z', '2026-03-29T08:00:00.000Z'],
    ]);
  });

  it('keeps the wall-clock time across fall back (Berlin, 2026-10-25): 09:00 is 07:00Z, then 08:00Z', () => {
    const { candidates } = plan([series()], '2026-10-12T00:00:00Z', 2);
    expect(starts(candidates)).toEqual(['2026-10-18T07:00:00.000Z', '2026-10-25T08:00:00.000Z']);
  });

  it('an occurrence in the spring-forward gap moves forward by the gap and keeps its duration', () => {
    const s = series({ startMinute: 2 * 60 + 30, endMinute: 3 * 60 + 30 }); // 02:30-03:30 does not exist on 2026-03-29
    const { candidates } = plan([s], '2026-03-28T00:00:00Z', 1);
    expect(candidates.map((c) => [c.localDate, new Date(c.start).toISOString(), new Date(c.end).toISOString()])).toEqual([
      ['2026-03-29', '2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00.000Z'],
    ]);
  });

  it('an occurrence in the fall-back fold takes the earlier instant', () => {
    const s = series({ startMinute: 2 * 60 + 30, endMinute: 3 * 60 }); // 02:30 happens twice on 2026-10-25
    const { candidates } = plan([s], '2026-10-24T00:00:00Z', 1);
    expect(starts(candidates)).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('a series in another zone follows that zone (New York changes on 2026-03-08): 18:00 is 23:00Z, then 22:00Z', () => {
    const s = series({ timezone: 'America/New_York', startMinute: 18 * 60, endMinute: 19 * 60 });
    const { candidates } = plan([s], '2026-03-01T00:00:00Z', 2);
    expect(starts(candidates)).toEqual(['2026-03-01T23:00:00.000Z', '2026-03-08T22:00:00.000Z']);
  });
});

describe('taken-away occurrences and invalid series', () => {
  it('an occurrence taken away from a count-limited series is not planned again', () => {
    const s = series({ timezone: 'UTC', occurrences: 10 });
    const gone = new Set([occurrenceKey('series-a', Date.parse('2026-05-10T09:00:00Z'))]);
    const { candidates } = plan([s], '2026-05-01T00:00:00Z', 3, gone);
    expect(candidates.map((c) => c.localDate)).toEqual(['2026-05-03', '2026-05-17']);
  });

  it('a series whose rule cannot be expanded is reported and the others are still planned', () => {
    const bad = series({ id: 'series-bad', timezone: 'Not/A_Zone' });
    const { candidates, invalid } = plan([bad, series({ timezone: 'UTC' })], '2026-05-01T00:00:00Z', 1);
    expect(invalid.map((i) => i.recurringBookingId)).toEqual(['series-bad']);
    expect(invalid[0]!.error).toBeInstanceOf(RangeError);
    expect(candidates.map((c) => c.recurringBookingId)).toEqual(['series-a']);
  });
});

describe('ended series', () => {
  it('a series ends once its end date has passed in its own zone', () => {
    // 2026-05-01T23:30Z is already 05-02 in Auckland and still 05-01 in New York.
    const now = at('2026-05-01T23:30:00Z');
    const auckland = series({ id: 'auckland', timezone: 'Pacific/Auckland', endDate: '2026-05-01' });
    const newYork = series({ id: 'new-york', timezone: 'America/New_York', endDate: '2026-05-01' });
    const open = series({ id: 'open', endDate: null });
    const { live, ended } = splitEnded([auckland, newYork, open], now);
    expect(ended).toEqual(['auckland']);
    expect(live.map((s) => s.id)).toEqual(['new-york', 'open']);
  });

  it("today falls back to UTC's for a zone the runtime does not know", () => {
    expect(localToday(at('2026-05-01T23:30:00Z'), 'Not/A_Zone')).toBe('2026-05-01');
    expect(localToday(at('2026-05-01T23:30:00Z'), 'Pacific/Auckland')).toBe('2026-05-02');
  });
});

describe('pauses', () => {
  const weeks = plan([series({ timezone: 'UTC' })], '2026-05-01T00:00:00Z', 4).candidates; // 05-03, 05-10, 05-17, 05-24

  it('drops the dates inside a pause of the series, both ends included', () => {
    const pauses = new Map([['series-a', [{ from: '2026-05-10', to: '2026-05-17' }]]]);
    expect(outsidePauses(weeks, pauses).map((c) => c.localDate)).toEqual(['2026-05-03', '2026-05-24']);
  });

  it("ignores another series' pauses and keeps everything when there are none", () => {
    const pauses = new Map([['series-b', [{ from: '2026-05-01', to: '2026-05-31' }]]]);
    expect(outsidePauses(weeks, pauses)).toHaveLength(4);
    expect(outsidePauses(weeks, new Map())).toHaveLength(4);
  });

  it('applies every pause of a series', () => {
    const pauses = new Map([['series-a', [{ from: '2026-05-03', to: '2026-05-03' }, { from: '2026-05-24', to: '2026-06-30' }]]]);
    expect(outsidePauses(weeks, pauses).map((c) => c.localDate)).toEqual(['2026-05-10', '2026-05-17']);
  });
});

describe('existing sessions', () => {
  const a = plan([series({ timezone: 'UTC' })], '2026-05-01T00:00:00Z', 3).candidates;
  const b = plan([series({ id: 'series-b', timezone: 'UTC', dayOfWeek: 1 })], '2026-05-01T00:00:00Z', 3).candidates;

  it('groups candidates by series with the span of their starts', () => {
    const { bySeries, firstStart, lastStart } = groupBySeries([...a, ...b]);
    expect([...bySeries.keys()]).toEqual(['series-a', 'series-b']);
    expect(bySeries.get('series-a')).toHaveLength(3);
    expect(firstStart.toISOString()).toBe('2026-05-03T09:00:00.000Z');
    expect(lastStart.toISOString()).toBe('2026-05-18T09:00:00.000Z');
  });

  it('keeps only occurrences without a session, of the series that have some missing', () => {
    const { bySeries } = groupBySeries([...a, ...b]);
    const existing = new Set([occurrenceKey('series-a', Date.parse('2026-05-10T09:00:00Z'))]);
    expect(withoutExisting(['series-a'], bySeries, existing).map((c) => c.localDate)).toEqual(['2026-05-03', '2026-05-17']);
  });
});

describe('blocks', () => {
  const nine = candidate({ start: Date.parse('2026-05-03T09:00:00Z'), end: Date.parse('2026-05-03T10:00:00Z') });
  const ten = candidate({ start: Date.parse('2026-05-03T10:00:00Z'), end: Date.parse('2026-05-03T11:00:00Z') });
  const otherCoach = candidate({ coachId: 'coach-2', start: nine.start, end: nine.end });

  it("skips the occurrences overlapping a block of their coach and keeps the rest in order", () => {
    const block = { coachId: 'coach-1', s: Date.parse('2026-05-03T09:30:00Z'), e: Date.parse('2026-05-03T09:45:00Z') };
    const { open, blocked } = splitBlocked([nine, ten, otherCoach], [block]);
    expect(blocked).toEqual([nine]);
    expect(open).toEqual([ten, otherCoach]);
  });

  it('a block ending when the occurrence starts does not skip it (half-open intervals)', () => {
    const block = { coachId: 'coach-1', s: Date.parse('2026-05-03T08:00:00Z'), e: nine.start };
    expect(splitBlocked([nine], [block])).toEqual({ open: [nine], blocked: [] });
  });

  it('the window read for blocks and busy sessions runs from the first start to the last end', () => {
    const { from, to } = sessionSpan([ten, nine]);
    expect([from.toISOString(), to.toISOString()]).toEqual(['2026-05-03T09:00:00.000Z', '2026-05-03T11:00:00.000Z']);
  });
});

describe('placement order', () => {
  it('places earlier occurrences first and, at the same start, the lower series id first', () => {
    const s = Date.parse('2026-05-03T09:00:00Z');
    const late = candidate({ recurringBookingId: 'a', start: s + 3_600_000, end: s + 7_200_000 });
    const b = candidate({ recurringBookingId: 'b', start: s, end: s + 3_600_000 });
    const a = candidate({ recurringBookingId: 'a', start: s, end: s + 3_600_000 });
    expect([late, b, a].sort(byPlacementOrder)).toEqual([a, b, late]);
  });
});
