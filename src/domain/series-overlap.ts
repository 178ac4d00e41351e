import { occurrencesBetween, type WeeklyRule } from './weekly-rule';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** A year and a bit: every weekly position and both DST changes of any zone fall inside. */
const YEAR_WEEKS = 54;
/** Local dates of two zones differ by at most ~26 hours; two days of margin covers it. */
const MARGIN_MS = 2 * DAY_MS;

const dayStart = (localDate: string) => Date.parse(`${localDate}T00:00:00Z`);

/**
 * Do two weekly series ever have occurrences that share an instant? Compared by the
 * instants of their occurrences, so series in different timezones (whose UTC offsets
 * drift apart for the weeks between their DST changes) are judged by what would really
 * happen. The comparison spans the first 54 weeks in which both series run: rules repeat
 * yearly, so a clash that never happens in that window does not happen later either
 * (barring a government changing its zone's rules).
 * Series every N and M weeks line up again after lcm(N, M) weeks: in one zone the offsets
 * move together, so a year plus one such cycle shows every case; across zones each
 * alignment must meet each season, so the window spans a year of cycles.
 */
export function seriesOverlap(a: WeeklyRule, b: WeeklyRule): boolean {
  const cycle = lcm(a.intervalWeeks ?? 1, b.intervalWeeks ?? 1);
  const weeks = a.timezone === b.timezone ? YEAR_WEEKS + cycle : YEAR_WEEKS * cycle;
  const fromMs = Math.max(dayStart(a.startDate), dayStart(b.startDate)) - MARGIN_MS;
  let toMs = fromMs + weeks * WEEK_MS + 2 * MARGIN_MS;
  for (const endDate of [a.endDate, b.endDate]) {
    if (endDate !== null) toMs = Math.min(toMs, dayStart(endDate) + DAY_MS + MARGIN_MS);
  }
  if (!(fromMs < toMs)) return false;
  const from = new Date(fromMs);
  const to = new Date(toMs);
  const left = occurrencesBetween(a, from, to);
  const right = occurrencesBetween(b, from, to);
  // Both lists are sorted by start and each is non-overlapping: a merge walk finds any clash.
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const x = left[i];
    const y = right[j];
    if (x.start.getTime() < y.end.getTime() && y.start.getTime() < x.end.getTime()) return true;
    if (x.end.getTime() <= y.end.getTime()) i++;
    else j++;
  }
  return false;
}

function lcm(x: number, y: number): number {
  let [p, q] = [x, y];
  while (q) [p, q] = [q, p % q];
  return (x / p) * y;
}
