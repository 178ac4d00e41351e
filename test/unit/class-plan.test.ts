import { classCandidates, seatReservations } from '../../src/domain/class-plan';
import { Occupancy } from '../../src/domain/occupancy';

const HOUR = 3_600_000;
const cls = { localDate: '2027-03-02', start: Date.parse('2027-03-02T10:00:00Z'), end: Date.parse('2027-03-02T11:00:00Z'), capacity: 2, waitlistCapacity: 1 };
const r = (id: string, startDate = '2027-01-01', endDate: string | null = null) => ({ id, memberId: `m-${id}`, startDate, endDate });

describe('seating standing reservations in a new class', () => {
  it('gives places oldest first, then the waitlist, then nothing', () => {
    const seats = seatReservations(cls, [r('a'), r('b'), r('c'), r('d')], new Occupancy());
    expect(seats.map((s) => [s.reservationId, s.status, s.skipped])).toEqual([
      ['a', 'BOOKED', undefined], ['b', 'BOOKED', undefined], ['c', 'WAITLISTED', undefined], ['d', null, 'FULL'],
    ]);
  });

  it('skips a member busy then, and leaves out reservations whose dates do not cover the class', () => {
    const busy = new Occupancy();
    busy.add('m-a', cls.start - HOUR / 2, cls.start + HOUR / 2);
    const seats = seatReservations(cls, [r('a'), r('late', '2027-03-03'), r('over', '2027-01-01', '2027-03-01'), r('b')], busy);
    expect(seats.map((s) => [s.reservationId, s.status, s.skipped])).toEqual([['a', null, 'BUSY'], ['b', 'BOOKED', undefined]]);
    // A place given keeps its member busy for an overlapping class seated after it.
    expect(busy.isFree('m-b', cls.start, cls.end)).toBe(false);
  });
});

describe('class occurrences', () => {
  it('are weekly at the wall-clock time of the schedule, across a DST change', () => {
    const schedule = { id: 's', classTypeId: 't', coachId: 'c', roomId: 'r', capacity: 5, dayOfWeek: 2, startMinute: 7 * 60, endMinute: 8 * 60, timezone: 'America/New_York', startDate: '2027-03-01', endDate: null, intervalWeeks: 1 };
    const { candidates } = classCandidates([schedule], new Date('2027-03-01T00:00:00Z'), new Date('2027-03-20T00:00:00Z'));
    expect(candidates.map((c) => new Date(c.start).toISOString())).toEqual(['2027-03-02T12:00:00.000Z', '2027-03-09T12:00:00.000Z', '2027-03-16T11:00:00.000Z']);
    // Each occurrence is its own "member": classes never clash with each other as members do.
    expect(new Set(candidates.map((c) => c.memberId)).size).toBe(3);
  });
});
