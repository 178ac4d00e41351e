import { Occupancy, placeSessions, roomFits, type Placement } from '../../src/domain/occupancy';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2027, 2, 28); // any day: the arithmetic is on epoch milliseconds
const at = (hours: number) => T0 + hours * H;
const slot = (coachId: string, memberId: string, roomId: string, from: number, to: number): Placement => ({ coachId, memberId, roomId, start: at(from), end: at(to) });

describe('Occupancy', () => {
  it('finds overlaps, and treats back-to-back as free (half-open intervals)', () => {
    const o = new Occupancy();
    o.add('c', at(10), at(11));
    expect(o.isFree('c', at(11), at(12))).toBe(true);
    expect(o.isFree('c', at(9), at(10))).toBe(true);
    expect(o.isFree('c', at(10.5), at(10.75))).toBe(false);
    expect(o.isFree('c', at(9), at(12))).toBe(false);
    expect(o.isFree('other', at(10), at(11))).toBe(true);
  });

  it('finds an interval that started on an earlier day (long sessions across midnight)', () => {
    const o = new Occupancy();
    o.add('c', at(-30), at(1)); // 31 hours, from the day before yesterday
    expect(o.overlapping('c', at(0.5), at(2))).toHaveLength(1);
    expect(o.isFree('c', at(1), at(2))).toBe(true);
    o.add('c', at(3 * 24), at(3 * 24 + 1));
    expect(o.overlapping('c', at(-48), at(100))).toHaveLength(2);
  });

  it('ignores empty intervals', () => {
    const o = new Occupancy();
    o.add('c', at(1), at(1));
    expect(o.isFree('c', at(0), at(5))).toBe(true);
    expect(o.isFree('c', at(2), at(2))).toBe(true);
  });

  it('works before 1970 too (negative epoch days)', () => {
    const o = new Occupancy();
    const old = Date.UTC(1960, 0, 1);
    o.add('c', old, old + H);
    expect(o.isFree('c', old + H / 2, old + 2 * H)).toBe(false);
    expect(o.isFree('c', old - DAY, old)).toBe(true);
  });
});

describe('placeSessions', () => {
  const rooms = new Map([['r1', 1], ['r2', 2]]);

  it('refuses a candidate that double-books its coach or its member, in any room', () => {
    const existing = [slot('c1', 'm1', 'r1', 10, 11)];
    const { accepted, rejected } = placeSessions([slot('c1', 'm2', 'r2', 10.5, 11.5), slot('c2', 'm1', 'r2', 9.5, 10.5), slot('c2', 'm2', 'r2', 11, 12)], existing, rooms);
    expect(accepted).toEqual([slot('c2', 'm2', 'r2', 11, 12)]);
    expect(rejected).toHaveLength(2);
  });

  it('fills a room up to its capacity and no further, counting accepted candidates', () => {
    const candidates = [slot('a', 'x', 'r2', 9, 10), slot('b', 'y', 'r2', 9, 10), slot('c', 'z', 'r2', 9.5, 10.5), slot('d', 'w', 'r2', 10, 11)];
    const { accepted, rejected } = placeSessions(candidates, [], rooms);
    expect(accepted.map((p) => p.coachId)).toEqual(['a', 'b', 'd']);
    expect(rejected.map((p) => p.coachId)).toEqual(['c']);
  });

  it('lets a staggered third session into a room of two when the first two never meet', () => {
    const existing = [slot('a', 'x', 'r2', 9, 10), slot('b', 'y', 'r2', 10, 11)];
    expect(placeSessions([slot('c', 'z', 'r2', 9.5, 10.5)], existing, rooms).accepted).toHaveLength(1);
    expect(placeSessions([slot('c', 'z', 'r1', 9.5, 10.5)], [slot('a', 'x', 'r1', 9, 10)], rooms).accepted).toHaveLength(0);
  });

  it('keeps the first of two clashing candidates (greedy, in the order given), and refuses rooms it does not know', () => {
    const first = slot('a', 'x', 'r1', 9, 10);
    const second = slot('b', 'y', 'r1', 9, 10);
    expect(placeSessions([first, second], [], rooms)).toEqual({ accepted: [first], rejected: [second], clashes: ['ROOM'] });
    expect(placeSessions([slot('a', 'x', 'nowhere', 9, 10)], [], rooms).accepted).toEqual([]);
  });

  it('names the real clash, checking the coach first, then the member, then the room', () => {
    // The coach's own session fills the room too: the coach being busy is what to say.
    const existing = [slot('c1', 'm1', 'r1', 10, 11)];
    const { clashes } = placeSessions(
      [slot('c1', 'm2', 'r1', 10, 11), slot('c2', 'm1', 'r1', 10, 11), slot('c2', 'm2', 'r1', 10.5, 11.5), slot('c2', 'm2', 'r2', 10, 11)],
      existing,
      rooms,
    );
    expect(clashes).toEqual(['COACH', 'MEMBER', 'ROOM']);
  });
});

describe('roomFits (the one room-capacity rule)', () => {
  const span = (from: number, to: number) => ({ s: at(from), e: at(to) });
  it('counts the busiest instant, not the overlapping sessions', () => {
    // Two back-to-back half hours inside 10-11 take one seat at any instant: a 2-seat room has one left.
    expect(roomFits([span(10, 10.5), span(10.5, 11)], at(10), at(11), 2)).toBe(true);
    expect(roomFits([span(10, 11), span(10.5, 11)], at(10), at(11), 2)).toBe(false);
    expect(roomFits([span(10, 10.5), span(10.5, 11)], at(10), at(11), 1)).toBe(false);
  });
  it('refuses an empty interval and a room without seats', () => {
    expect(roomFits([], at(10), at(10), 3)).toBe(false);
    expect(roomFits([], at(10), at(11), 0)).toBe(false);
    expect(roomFits([], at(10), at(11), 1)).toBe(true);
  });
});
