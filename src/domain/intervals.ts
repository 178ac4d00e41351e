/**
 * Half-open instant intervals, [start, end).
 *
 * Pure arithmetic on instants: everything is compared through `getTime()`
 * (milliseconds since the epoch), so results never depend on the process
 * timezone. An interval whose `end` is not after its `start` (or whose dates
 * are invalid) is empty: the set operations drop it and it never overlaps,
 * covers or fits anything. Every function returns fresh `Interval` / `Date`
 * objects and leaves its inputs untouched. All functions run in O(n log n).
 */

/** Half-open interval [start, end); well-formed when start < end. */
export interface Interval {
  start: Date;
  end: Date;
}

/** Internal representation: epoch milliseconds. */
interface Span {
  s: number;
  e: number;
}

/** Non-empty spans of `list` (start < end, no NaN), as numbers. */
function toSpans(list: readonly Interval[]): Span[] {
  const out: Span[] = [];
  for (const iv of list) {
    const s = iv.start.getTime();
    const e = iv.end.getTime();
    if (s < e) out.push({ s, e });
  }
  return out;
}

function toInterval(sp: Span): Interval {
  return { start: new Date(sp.s), end: new Date(sp.e) };
}

/** Sorted, disjoint, non-touching union of the spans. */
function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.slice().sort((a, b) => a.s - b.s || a.e - b.e);
  const out: Span[] = [];
  for (const sp of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && sp.s <= last.e) {
      if (sp.e > last.e) last.e = sp.e;
    } else {
      out.push({ s: sp.s, e: sp.e });
    }
  }
  return out;
}

/** Sorted, disjoint spans of `base` minus `minus` (both merged). */
function subtractMerged(base: Span[], minus: Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const b of base) {
    let cursor = b.s;
    // Skip subtrahends that end at or before this piece starts.
    while (j < minus.length && minus[j]!.e <= cursor) j++;
    let k = j;
    while (k < minus.length && minus[k]!.s < b.e) {
      const m = minus[k]!;
      if (m.s > cursor) out.push({ s: cursor, e: m.s });
      if (m.e > cursor) cursor = m.e;
      if (cursor >= b.e) break;
      k++;
    }
    if (cursor < b.e) out.push({ s: cursor, e: b.e });
    // A subtrahend may stretch into the next base piece: resume from k, not k + 1.
    j = k;
  }
  return out;
}

/** Do the two intervals share at least one instant? Back-to-back intervals do not. */
export function overlaps(a: Interval, b: Interval): boolean {
  const as = a.start.getTime();
  const ae = a.end.getTime();
  const bs = b.start.getTime();
  const be = b.end.getTime();
  return as < ae && bs < be && as < be && bs < ae;
}

/**
 * Union of the intervals, sorted by start. Overlapping and touching intervals
 * ([9,10) and [10,11)) become one; empty ones are dropped.
 */
export function mergeIntervals(list: Interval[]): Interval[] {
  return mergeSpans(toSpans(list)).map(toInterval);
}

/** Instants of `base` not in any interval of `minus`, merged and sorted. */
export function subtractIntervals(base: Interval[], minus: Interval[]): Interval[] {
  return subtractMerged(mergeSpans(toSpans(base)), mergeSpans(toSpans(minus))).map(toInterval);
}

/** Each interval intersected with `range`, in input order; empty results are dropped (no merging). */
export function clipIntervals(list: Interval[], range: Interval): Interval[] {
  const rs = range.start.getTime();
  const re = range.end.getTime();
  const out: Interval[] = [];
  if (!(rs < re)) return out;
  for (const sp of toSpans(list)) {
    const s = Math.max(sp.s, rs);
    const e = Math.min(sp.e, re);
    if (s < e) out.push(toInterval({ s, e }));
  }
  return out;
}

/**
 * Does `candidate` lie entirely inside the union of `windows`? A candidate
 * spanning touching windows ([9,10) and [10,11)) is covered. An empty
 * candidate is never covered (it is not a bookable span of time).
 */
export function coversInterval(windows: Interval[], candidate: Interval): boolean {
  const cs = candidate.start.getTime();
  const ce = candidate.end.getTime();
  if (!(cs < ce)) return false;
  const merged = mergeSpans(toSpans(windows));
  // Binary search: last merged window whose start is <= cs.
  let lo = 0;
  let hi = merged.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (merged[mid]!.s <= cs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && merged[found]!.e >= ce;
}

/** Bookable time = merge(weekly ∪ additions) − blocks − booked, clipped to range. */
export function bookableWindows(args: {
  weekly: Interval[];
  additions: Interval[];
  blocks: Interval[];
  booked: Interval[];
  range: Interval;
}): Interval[] {
  const open = mergeSpans(toSpans(args.weekly).concat(toSpans(args.additions)));
  const closed = mergeSpans(toSpans(args.blocks).concat(toSpans(args.booked)));
  const free = subtractMerged(open, closed).map(toInterval);
  return clipIntervals(free, args.range);
}

/**
 * Can `candidate` join `existing` (the intervals already in a room) without
 * more than `capacity` intervals overlapping at any instant? Sweep line over
 * the existing intervals that overlap the candidate, clipped to it: the
 * candidate fits when their peak concurrency is at most capacity − 1.
 * An empty candidate, or a capacity below 1, never fits.
 */
export function fitsCapacity(existing: Interval[], candidate: Interval, capacity: number): boolean {
  const cs = candidate.start.getTime();
  const ce = candidate.end.getTime();
  if (!(cs < ce) || !(capacity >= 1)) return false;
  // Events: [time, +1 | -1]. At equal times ends sort before starts (half-open).
  const events: Array<[number, number]> = [];
  for (const sp of toSpans(existing)) {
    const s = Math.max(sp.s, cs);
    const e = Math.min(sp.e, ce);
    if (s < e) {
      events.push([s, 1], [e, -1]);
    }
  }
  if (events.length === 0) return true;
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  for (const [, delta] of events) {
    current += delta;
    if (current + 1 > capacity) return false;
  }
  return true;
}

/** Sessions start on whole minutes: a start with seconds or milliseconds is a client's mistake, not a time to keep. */
export const WHOLE_MINUTES = 'Start times are whole minutes only (no seconds or milliseconds)';
export function isWholeMinute(instant: Date): boolean {
  return instant.getTime() % 60_000 === 0;
}
