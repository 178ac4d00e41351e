import {
  bookableWindows,
  clipIntervals,
  coversInterval,
  fitsCapacity,
  mergeIntervals,
  overlaps,
  subtractIntervals,
  type Interval,
} from '../../src/domain/intervals.js';

// All instants are built from a fixed UTC origin, so nothing depends on process.env.TZ.
// `h(9.5)` is 09:30Z on Monday 2025-03-10 (the week US clocks changed: TZ must not matter).
const ORIGIN = Date.UTC(2025, 2, 10, 0, 0, 0);
const HOUR = 3_600_000;
const h = (hours: number): Date => new Date(ORIGIN + hours * HOUR);
const iv = (from: number, to: number): Interval => ({ start: h(from), end: h(to) });
/** Intervals as [startHour, endHour] pairs, for readable expectations. */
const hours = (list: Interval[]): Array<[number, number]> =>
  list.map((x) => [(x.start.getTime() - ORIGIN) / HOUR, (x.end.getTime() - ORIGIN) / HOUR]);

describe('overlaps', () => {
  it('is true when the intervals share some time', () => {
    expect(overlaps(iv(9, 11), iv(10, 12))).toBe(true);
  });

  it('is symmetric', () => {
    expect(overlaps(iv(10, 12), iv(9, 11))).toBe(true);
    expect(overlaps(iv(12, 13), iv(9, 11))).toBe(false);
  });

  it('is false for back-to-back intervals, because the end instant is excluded', () => {
    expect(overlaps(iv(9, 10), iv(10, 11))).toBe(false);
    expect(overlaps(iv(10, 11), iv(9, 10))).toBe(false);
  });

  it('is false for disjoint intervals', () => {
    expect(overlaps(iv(9, 10), iv(11, 12))).toBe(false);
  });

  it('is true when one interval contains the other', () => {
    expect(overlaps(iv(8, 12), iv(9, 10))).toBe(true);
    expect(overlaps(iv(9, 10), iv(8, 12))).toBe(true);
  });

  it('is true for identical intervals', () => {
    expect(overlaps(iv(9, 10), iv(9, 10))).toBe(true);
  });

  it('is true when the overlap is a single millisecond', () => {
    const a = { start: h(9), end: new Date(h(10).getTime() + 1) };
    expect(overlaps(a, iv(10, 11))).toBe(true);
  });

  it('is false when either interval is empty (start >= end)', () => {
    expect(overlaps(iv(10, 10), iv(9, 11))).toBe(false);
    expect(overlaps(iv(9, 11), iv(11, 10))).toBe(false);
  });
});

describe('mergeIntervals', () => {
  it('returns an empty list for an empty list', () => {
    expect(mergeIntervals([])).toEqual([]);
  });

  it('sorts unsorted intervals by start', () => {
    expect(hours(mergeIntervals([iv(14, 15), iv(9, 10), iv(11, 12)]))).toEqual([
      [9, 10],
      [11, 12],
      [14, 15],
    ]);
  });

  it('unites overlapping intervals', () => {
    expect(hours(mergeIntervals([iv(9, 11), iv(10, 12)]))).toEqual([[9, 12]]);
  });

  it('absorbs intervals nested inside another', () => {
    expect(hours(mergeIntervals([iv(10, 11), iv(8, 13), iv(9, 12)]))).toEqual([[8, 13]]);
  });

  it('merges touching intervals ([9,10) and [10,11)) into one', () => {
    expect(hours(mergeIntervals([iv(10, 11), iv(9, 10)]))).toEqual([[9, 11]]);
  });

  it('merges a chain of touching intervals into one', () => {
    expect(hours(mergeIntervals([iv(11, 12), iv(9, 10), iv(10, 11)]))).toEqual([[9, 12]]);
  });

  it('collapses duplicates into one interval', () => {
    expect(hours(mergeIntervals([iv(9, 10), iv(9, 10), iv(9, 10)]))).toEqual([[9, 10]]);
  });

  it('keeps the longer end when intervals share a start', () => {
    expect(hours(mergeIntervals([iv(9, 12), iv(9, 10)]))).toEqual([[9, 12]]);
  });

  it('keeps intervals separated by a gap apart, even a 1 ms gap', () => {
    const a = iv(9, 10);
    const b = { start: new Date(h(10).getTime() + 1), end: h(11) };
    expect(mergeIntervals([a, b])).toHaveLength(2);
  });

  it('drops empty intervals (start == end) and inverted ones (start > end)', () => {
    expect(hours(mergeIntervals([iv(10, 10), iv(12, 11), iv(13, 14)]))).toEqual([[13, 14]]);
  });

  it('drops intervals with invalid dates', () => {
    expect(mergeIntervals([{ start: new Date(NaN), end: h(10) }])).toEqual([]);
  });

  it('returns new objects and leaves the input untouched', () => {
    const input = [iv(11, 12), iv(9, 10)];
    const snapshot = hours(input);
    const out = mergeIntervals(input);
    expect(hours(input)).toEqual(snapshot);
    expect(out[1]).not.toBe(input[0]);
    expect(out[1]!.start).not.toBe(input[0]!.start);
    out[0]!.start.setTime(0);
    expect(hours(input)).toEqual(snapshot);
  });
});

describe('subtractIntervals', () => {
  it('returns the base (merged) when there is nothing to subtract', () => {
    expect(hours(subtractIntervals([iv(10, 11), iv(9, 10)], []))).toEqual([[9, 11]]);
  });

  it('returns nothing when the base is empty', () => {
    expect(subtractIntervals([], [iv(9, 10)])).toEqual([]);
  });

  it('splits a window in two when a block sits in the middle', () => {
    expect(hours(subtractIntervals([iv(9, 17)], [iv(12, 13)]))).toEqual([
      [9, 12],
      [13, 17],
    ]);
  });

  it('removes the whole window when a block covers it', () => {
    expect(subtractIntervals([iv(9, 17)], [iv(8, 18)])).toEqual([]);
  });

  it('removes the whole window when a block equals it exactly', () => {
    expect(subtractIntervals([iv(9, 17)], [iv(9, 17)])).toEqual([]);
  });

  it('leaves the window whole when a block only touches its start or end edge', () => {
    expect(hours(subtractIntervals([iv(9, 17)], [iv(8, 9), iv(17, 18)]))).toEqual([[9, 17]]);
  });

  it('trims the start when a block overlaps the start edge', () => {
    expect(hours(subtractIntervals([iv(9, 17)], [iv(8, 10)]))).toEqual([[10, 17]]);
  });

  it('trims the end when a block overlaps the end edge', () => {
    expect(hours(subtractIntervals([iv(9, 17)], [iv(16, 18)]))).toEqual([[9, 16]]);
  });

  it('trims from the start edge when a block starts exactly at it', () => {
    expect(hours(subtractIntervals([iv(9, 17)], [iv(9, 10)]))).toEqual([[10, 17]]);
  });

  it('subtracts several blocks, given in any order, from several windows', () => {
    expect(
      hours(subtractIntervals([iv(13, 18), iv(8, 12)], [iv(15, 16), iv(9, 10), iv(11, 14)])),
    ).toEqual([
      [8, 9],
      [10, 11],
      [14, 15],
      [16, 18],
    ]);
  });

  it('lets one block span the gap between two windows and cut both', () => {
    expect(hours(subtractIntervals([iv(8, 12), iv(13, 17)], [iv(11, 14)]))).toEqual([
      [8, 11],
      [14, 17],
    ]);
  });

  it('lets one block swallow several windows', () => {
    expect(hours(subtractIntervals([iv(8, 9), iv(10, 11), iv(12, 13), iv(14, 15)], [iv(8, 13)]))).toEqual([
      [14, 15],
    ]);
  });

  it('merges the base first, so touching windows come out as one', () => {
    expect(hours(subtractIntervals([iv(9, 10), iv(10, 11)], [iv(20, 21)]))).toEqual([[9, 11]]);
  });

  it('ignores empty subtrahends', () => {
    expect(hours(subtractIntervals([iv(9, 11)], [iv(10, 10)]))).toEqual([[9, 11]]);
  });
});

describe('clipIntervals', () => {
  it('keeps intervals inside the range as they are', () => {
    expect(hours(clipIntervals([iv(10, 11)], iv(9, 17)))).toEqual([[10, 11]]);
  });

  it('cuts intervals that stick out of the range on either side', () => {
    expect(hours(clipIntervals([iv(8, 10), iv(16, 18)], iv(9, 17)))).toEqual([
      [9, 10],
      [16, 17],
    ]);
  });

  it('shrinks an interval that contains the range to the range', () => {
    expect(hours(clipIntervals([iv(0, 24)], iv(9, 17)))).toEqual([[9, 17]]);
  });

  it('drops intervals outside the range, including ones that only touch it', () => {
    expect(clipIntervals([iv(6, 8), iv(8, 9), iv(17, 18), iv(20, 21)], iv(9, 17))).toEqual([]);
  });

  it('drops empty intervals', () => {
    expect(clipIntervals([iv(10, 10)], iv(9, 17))).toEqual([]);
  });

  it('returns nothing for an empty range', () => {
    expect(clipIntervals([iv(9, 17)], iv(12, 12))).toEqual([]);
  });

  it('keeps the input order and does not merge', () => {
    expect(hours(clipIntervals([iv(12, 13), iv(9, 10), iv(10, 11)], iv(0, 24)))).toEqual([
      [12, 13],
      [9, 10],
      [10, 11],
    ]);
  });

  it('returns new objects', () => {
    const input = [iv(10, 11)];
    const out = clipIntervals(input, iv(9, 17));
    expect(out[0]).not.toBe(input[0]);
    expect(out[0]!.start).not.toBe(input[0]!.start);
  });
});

describe('coversInterval', () => {
  it('is true when the candidate lies inside one window', () => {
    expect(coversInterval([iv(9, 17)], iv(10, 11))).toBe(true);
  });

  it('is true when the candidate equals a window exactly (end is exclusive on both)', () => {
    expect(coversInterval([iv(9, 17)], iv(9, 17))).toBe(true);
  });

  it('is true when the candidate spans two touching windows', () => {
    expect(coversInterval([iv(10, 12), iv(9, 10)], iv(9, 11))).toBe(true);
  });

  it('is true when the candidate spans two overlapping windows', () => {
    expect(coversInterval([iv(9, 11), iv(10, 12)], iv(9.5, 11.5))).toBe(true);
  });

  it('is false when the candidate crosses a gap between windows', () => {
    expect(coversInterval([iv(9, 10), iv(11, 12)], iv(9, 12))).toBe(false);
  });

  it('is false when the candidate sticks out of the window by even 1 ms', () => {
    const candidate = { start: h(16), end: new Date(h(17).getTime() + 1) };
    expect(coversInterval([iv(9, 17)], candidate)).toBe(false);
    expect(coversInterval([iv(9, 17)], { start: new Date(h(9).getTime() - 1), end: h(10) })).toBe(false);
  });

  it('is false when the candidate lies entirely outside every window', () => {
    expect(coversInterval([iv(9, 10), iv(14, 15)], iv(11, 12))).toBe(false);
    expect(coversInterval([iv(9, 10)], iv(7, 8))).toBe(false);
    expect(coversInterval([iv(9, 10)], iv(20, 21))).toBe(false);
  });

  it('is false when there are no windows', () => {
    expect(coversInterval([], iv(9, 10))).toBe(false);
  });

  it('is false for an empty candidate, which is not a span of time to book', () => {
    expect(coversInterval([iv(9, 17)], iv(10, 10))).toBe(false);
    expect(coversInterval([iv(9, 17)], iv(11, 10))).toBe(false);
  });

  it('finds the right window among many unsorted ones', () => {
    const windows = [iv(30, 31), iv(2, 3), iv(20, 22), iv(10, 11), iv(6, 7)];
    expect(coversInterval(windows, iv(20.5, 21.5))).toBe(true);
    expect(coversInterval(windows, iv(21.5, 22.5))).toBe(false);
  });
});

describe('bookableWindows', () => {
  const range = iv(0, 24);

  it('is the weekly hours when there is nothing else', () => {
    expect(hours(bookableWindows({ weekly: [iv(9, 17)], additions: [], blocks: [], booked: [], range }))).toEqual([
      [9, 17],
    ]);
  });

  it('adds extra windows to the weekly hours, merging where they touch or overlap', () => {
    const result = bookableWindows({
      weekly: [iv(9, 12), iv(13, 17)],
      additions: [iv(17, 19), iv(11, 13.5), iv(20, 21)],
      blocks: [],
      booked: [],
      range,
    });
    expect(hours(result)).toEqual([
      [9, 19],
      [20, 21],
    ]);
  });

  it('removes blocks and booked sessions', () => {
    const result = bookableWindows({
      weekly: [iv(9, 17)],
      additions: [],
      blocks: [iv(12, 13)],
      booked: [iv(10, 11), iv(15, 16)],
      range,
    });
    expect(hours(result)).toEqual([
      [9, 10],
      [11, 12],
      [13, 15],
      [16, 17],
    ]);
  });

  it('lets a block take away time that an addition gave', () => {
    const result = bookableWindows({
      weekly: [iv(9, 12)],
      additions: [iv(18, 20)],
      blocks: [iv(18, 20)],
      booked: [],
      range,
    });
    expect(hours(result)).toEqual([[9, 12]]);
  });

  it('leaves back-to-back bookings with no gap between them, and no slivers', () => {
    const result = bookableWindows({
      weekly: [iv(9, 12)],
      additions: [],
      blocks: [],
      booked: [iv(9, 10), iv(10, 11)],
      range,
    });
    expect(hours(result)).toEqual([[11, 12]]);
  });

  it('clips the result to the range', () => {
    const result = bookableWindows({
      weekly: [iv(-4, -2), iv(9, 17), iv(30, 32)],
      additions: [],
      blocks: [],
      booked: [],
      range: iv(10, 16),
    });
    expect(hours(result)).toEqual([[10, 16]]);
  });

  it('is empty when a block covers the whole day', () => {
    const result = bookableWindows({ weekly: [iv(9, 17)], additions: [iv(18, 19)], blocks: [iv(0, 24)], booked: [], range });
    expect(result).toEqual([]);
  });

  it('is empty when there are no weekly hours and no additions', () => {
    expect(bookableWindows({ weekly: [], additions: [], blocks: [], booked: [], range })).toEqual([]);
  });
});

describe('fitsCapacity', () => {
  it('fits anything into an empty room with capacity 1', () => {
    expect(fitsCapacity([], iv(9, 10), 1)).toBe(true);
  });

  it('does not fit an overlapping session into a room of capacity 1', () => {
    expect(fitsCapacity([iv(9, 10)], iv(9.5, 10.5), 1)).toBe(false);
  });

  it('fits a back-to-back session into a room of capacity 1', () => {
    expect(fitsCapacity([iv(9, 10), iv(11, 12)], iv(10, 11), 1)).toBe(true);
  });

  it('fits a second overlapping session into a room of capacity 2', () => {
    expect(fitsCapacity([iv(9, 10)], iv(9, 10), 2)).toBe(true);
  });

  describe('capacity 2 with two existing sessions that overlap the candidate but not each other', () => {
    const existing = [iv(9, 10), iv(10, 11)];

    it('fits a third session that overlaps only one of them', () => {
      expect(fitsCapacity(existing, iv(9, 10), 2)).toBe(true);
      expect(fitsCapacity(existing, iv(10.25, 10.75), 2)).toBe(true);
    });

    it('fits a third session that overlaps both of them, since they never run at the same instant', () => {
      expect(fitsCapacity(existing, iv(9.5, 10.5), 2)).toBe(true);
    });
  });

  describe('capacity 2 with two existing sessions that overlap each other', () => {
    const existing = [iv(9, 11), iv(10, 12)];

    it('fits a third session that overlaps only one of them', () => {
      expect(fitsCapacity(existing, iv(8, 10), 2)).toBe(true);
      expect(fitsCapacity(existing, iv(11, 13), 2)).toBe(true);
    });

    it('does not fit a third session that overlaps both of them where they overlap', () => {
      expect(fitsCapacity(existing, iv(10.5, 11.5), 2)).toBe(false);
    });

    it('does not fit a third session that covers their shared hour only by a millisecond', () => {
      const candidate = { start: h(8), end: new Date(h(10).getTime() + 1) };
      expect(fitsCapacity(existing, candidate, 2)).toBe(false);
    });

    it('fits with capacity 3', () => {
      expect(fitsCapacity(existing, iv(10.5, 11.5), 3)).toBe(true);
    });
  });

  it('measures the peak, not the count: three chained sessions overlap two at a time at most', () => {
    const existing = [iv(9, 11), iv(10, 12), iv(11, 13)];
    // Inside [9,13) at most two of them run at once, so a fourth fits a room of 3.
    expect(fitsCapacity(existing, iv(9, 13), 3)).toBe(true);
    expect(fitsCapacity(existing, iv(9, 13), 2)).toBe(false);
  });

  it('ignores existing sessions that do not overlap the candidate, however crowded that time is', () => {
    const crowded = [iv(9, 10), iv(9, 10), iv(9, 10)];
    expect(fitsCapacity(crowded, iv(10, 11), 1)).toBe(true);
  });

  it('counts only the overlap with the candidate when existing sessions pile up outside it', () => {
    const existing = [iv(8, 10), iv(9, 11), iv(10.5, 12)];
    // The first two overlap each other at [9,10), before the candidate starts.
    expect(fitsCapacity(existing, iv(10, 11), 2)).toBe(false); // [10.5,11) has two running
    expect(fitsCapacity(existing, iv(10, 10.5), 2)).toBe(true); // only [9,11) runs there
  });

  it('treats duplicates as separate sessions', () => {
    expect(fitsCapacity([iv(9, 10), iv(9, 10)], iv(9, 10), 2)).toBe(false);
    expect(fitsCapacity([iv(9, 10), iv(9, 10)], iv(9, 10), 3)).toBe(true);
  });

  it('ignores empty existing intervals', () => {
    expect(fitsCapacity([iv(9.5, 9.5)], iv(9, 10), 1)).toBe(true);
  });

  it('never fits an empty candidate', () => {
    expect(fitsCapacity([], iv(10, 10), 5)).toBe(false);
  });

  it('never fits when capacity is below 1', () => {
    expect(fitsCapacity([], iv(9, 10), 0)).toBe(false);
    expect(fitsCapacity([], iv(9, 10), -1)).toBe(false);
    expect(fitsCapacity([], iv(9, 10), Number.NaN)).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Model check: on a grid of whole hours, compare every function with a
// brute-force set-of-hours model over many seeded random inputs.
// ---------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GRID = 24;
type Cells = boolean[];
const cellsOf = (list: Interval[]): Cells => {
  const cells: Cells = new Array<boolean>(GRID).fill(false);
  for (const [a, b] of hours(list)) for (let t = Math.max(0, a); t < Math.min(GRID, b); t++) cells[t] = true;
  return cells;
};
/** Maximal runs of true cells: the canonical merged form. */
const runsOf = (cells: Cells): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let t = 0; t < GRID; t++) {
    if (!cells[t]) continue;
    const last = out[out.length - 1];
    if (last && last[1] === t) last[1] = t + 1;
    else out.push([t, t + 1]);
  }
  return out;
};

describe('agreement with a brute-force model on random inputs', () => {
  const rand = mulberry32(20250310);
  const int = (max: number) => Math.floor(rand() * max);
  const randomInterval = (): Interval => {
    const a = int(GRID + 1);
    const b = int(GRID + 1);
    return iv(a, b); // may be empty or inverted on purpose
  };
  const randomList = (): Interval[] => Array.from({ length: int(7) }, randomInterval);
  const cases = Array.from({ length: 500 }, (_, i) => i);

  it.each(cases)('case %i: every function matches the model', () => {
    const a = randomList();
    const b = randomList();
    const c = randomList();
    const d = randomList();
    const range = randomInterval();
    const candidate = randomInterval();
    const ca = cellsOf(a);
    const cb = cellsOf(b);

    // mergeIntervals: canonical runs of the union.
    expect(hours(mergeIntervals(a))).toEqual(runsOf(ca));

    // subtractIntervals: runs of (a and not b).
    expect(hours(subtractIntervals(a, b))).toEqual(runsOf(ca.map((x, t) => x && !cb[t])));

    // clipIntervals: each non-empty piece of each interval inside the range, in order.
    const [rs, re] = hours([range])[0]!;
    const expectedClip = hours(a)
      .map(([s, e]): [number, number] => [Math.max(s, rs), Math.min(e, re)])
      .filter(([s, e]) => s < e && rs < re);
    expect(hours(clipIntervals(a, range))).toEqual(expectedClip);

    // overlaps: some hour is in both.
    const [cs, ce] = hours([candidate])[0]!;
    const candCells = cellsOf([candidate]);
    for (const x of a) {
      const xc = cellsOf([x]);
      expect(overlaps(x, candidate)).toBe(xc.some((v, t) => v && candCells[t]));
    }

    // coversInterval: a non-empty candidate whose every hour is in the union.
    const covered = cs < ce && candCells.every((v, t) => !v || ca[t]);
    expect(coversInterval(a, candidate)).toBe(covered);

    // bookableWindows: runs of ((a or b) and not (c or d)) within the range.
    const cc = cellsOf(c);
    const cd = cellsOf(d);
    const inRange = cellsOf([range]);
    const bookable = ca.map((x, t) => (x || !!cb[t]) && !cc[t] && !cd[t] && !!inRange[t]);
    expect(hours(bookableWindows({ weekly: a, additions: b, blocks: c, booked: d, range }))).toEqual(runsOf(bookable));

    // fitsCapacity: peak count of existing intervals over the candidate's hours, plus one, within capacity.
    const existing = a.concat(b);
    let peak = 0;
    for (let t = cs; t < ce; t++) {
      peak = Math.max(peak, hours(existing).filter(([s, e]) => s <= t && t < e).length);
    }
    for (const capacity of [1, 2, 3]) {
      expect(fitsCapacity(existing, candidate, capacity)).toBe(cs < ce && peak + 1 <= capacity);
    }
  });
});

describe('scale', () => {
  // Quadratic implementations would blow the test timeout here.
  const N = 100_000;
  const many = Array.from({ length: N }, (_, i) => iv(i % 2 === 0 ? i : N - i, (i % 2 === 0 ? i : N - i) + 2));

  it('merges 100 000 intervals', () => {
    expect(hours(mergeIntervals(many))).toEqual([[0, N + 1]]);
  });

  it('subtracts 100 000 blocks from 100 000 windows', () => {
    const blocks = Array.from({ length: N }, (_, i) => iv(i + 0.5, i + 0.75));
    expect(subtractIntervals(many, blocks)).toHaveLength(N + 1);
  });

  it('checks capacity against 100 000 sessions overlapping the candidate', () => {
    const stacked = Array.from({ length: N }, (_, i) => iv(i / N, 1 + i / N));
    expect(fitsCapacity(stacked, iv(0, 2), N)).toBe(false);
    expect(fitsCapacity(stacked, iv(0, 2), N + 1)).toBe(true);
  });
});
