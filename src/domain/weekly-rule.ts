/**
 * Weekly rules: the occurrences of a weekly series and the expansion of weekly wall-clock
 * windows, in an IANA zone. A recurring booking is a wall-clock time kept across DST changes
 * (gap/fold rules in zone-time.ts). Pure; an invalid rule throws `RangeError`.
 */

import { MAX_DAY, MINUTES_PER_DAY, MIN_DAY, MS_PER_MINUTE, checkDayRange, checkMinute, dayNumberOf, formatDay, isDayOfWeek, isInt, weekday } from './civil-date';
import { instantMs, localDayOfMs, zoneOf, zonedToMs } from './zone-time';

export interface WeeklyRule {
  dayOfWeek: number;      // 0 = Sunday .. 6 = Saturday
  startMinute: number;    // wall-clock start, minutes since local midnight
  endMinute: number;      // wall-clock end (> startMinute); duration = endMinute - startMinute minutes
  timezone: string;       // IANA
  startDate: string;      // first local date of the series, inclusive
  endDate: string | null; // last local date, inclusive; null = open-ended
  intervalWeeks?: number; // every N weeks (1-12, default 1), counted from the first occurrence on or after startDate
}

export const MAX_INTERVAL_WEEKS = 12;

export interface Occurrence {
  localDate: string; // the series' local calendar date of this occurrence
  start: Date;       // zonedDateTimeToInstant(localDate, startMinute, timezone)
  end: Date;         // start + (endMinute - startMinute) minutes (NOT the wall end: on a DST day the duration stays)
}

/**
 * Margin (days) around the local dates of `from`/`to` when choosing candidate dates. A
 * candidate's start instant can fall on a later local date than its own date (gap shift over
 * midnight; Pacific/Apia skipped a whole day in 2011) or local dates can step back (a fall-back
 * at midnight), so a small margin is scanned and filtered by the instant bounds.
 */
const MARGIN_DAYS = 2;

function intervalOf(rule: { intervalWeeks?: number }): number {
  const n = rule.intervalWeeks ?? 1;
  if (!isInt(n) || n < 1 || n > MAX_INTERVAL_WEEKS) throw new RangeError(`rule.intervalWeeks must be an integer 1..${MAX_INTERVAL_WEEKS}, got ${String(n)}`);
  return n;
}

function checkDayOfWeek(d: number, what: string): void {
  if (!isDayOfWeek(d)) throw new RangeError(`${what} must be an integer 0..6, got ${String(d)}`);
}

/** First day number >= `day` that falls on `dow`. */
function nextWeekday(day: number, dow: number): number {
  return day + ((dow - weekday(day) + 7) % 7);
}

/**
 * Every occurrence of the rule whose start instant lies in [from, to), in ascending order,
 * respecting startDate/endDate (local dates, inclusive) and intervalWeeks.
 * An invalid rule (dayOfWeek outside 0..6, intervalWeeks outside 1..12, startMinute outside 0..1439, endMinute not in
 * (startMinute, 1440], bad dates or zone) throws RangeError. endDate < startDate yields [].
 */
export function occurrencesBetween(rule: WeeklyRule, from: Date, to: Date): Occurrence[] {
  checkDayOfWeek(rule.dayOfWeek, 'rule.dayOfWeek');
  checkMinute(rule.startMinute, 'rule.startMinute', MINUTES_PER_DAY - 1);
  checkMinute(rule.endMinute, 'rule.endMinute', MINUTES_PER_DAY);
  if (rule.endMinute <= rule.startMinute) throw new RangeError('rule.endMinute must be greater than rule.startMinute');
  const zone = zoneOf(rule.timezone);
  const seriesFirst = dayNumberOf(rule.startDate, 'rule.startDate');
  const seriesLast = rule.endDate === null ? Number.POSITIVE_INFINITY : dayNumberOf(rule.endDate, 'rule.endDate');
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  const out: Occurrence[] = [];
  if (!(fromMs < toMs)) return out;

  const first = Math.max(seriesFirst, localDayOfMs(zone, fromMs) - MARGIN_DAYS);
  const last = Math.min(seriesLast, localDayOfMs(zone, toMs) + MARGIN_DAYS, MAX_DAY);
  const durationMs = (rule.endMinute - rule.startMinute) * MS_PER_MINUTE;
  // Occurrence weeks are 0, N, 2N... counted from the series' first occurrence (DESIGN.md "Series").
  const step = 7 * intervalOf(rule);
  const anchor = nextWeekday(seriesFirst, rule.dayOfWeek);
  const candidate = nextWeekday(first, rule.dayOfWeek);
  for (let day = anchor + Math.ceil((candidate - anchor) / step) * step; day <= last; day += step) {
    const start = zonedToMs(zone, day, rule.startMinute);
    if (start < fromMs) continue;
    if (start >= toMs) break;
    out.push({ localDate: formatDay(day), start: new Date(start), end: new Date(start + durationMs) });
  }
  return out;
}

/**
 * The local date of the rule's nth occurrence (1-based), ignoring endDate: where a
 * count-limited series of n sessions ends when nothing is taken away from it.
 */
export function nthOccurrenceDate(rule: Pick<WeeklyRule, 'dayOfWeek' | 'startDate' | 'intervalWeeks'>, n: number): string {
  checkDayOfWeek(rule.dayOfWeek, 'rule.dayOfWeek');
  if (!isInt(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${String(n)}`);
  const anchor = nextWeekday(dayNumberOf(rule.startDate, 'rule.startDate'), rule.dayOfWeek);
  return formatDay(checkDayRange(anchor + (n - 1) * 7 * intervalOf(rule)));
}

/**
 * Expand weekly wall-clock windows (e.g. a coach's weekly hours) into UTC intervals
 * overlapping [from, to), clipped to [from, to), sorted by start (then end).
 * Same gap/fold rules; the end instant of a window is zonedDateTimeToInstant(date, endMinute, tz)
 * (weekly hours are wall-clock on both ends, unlike bookings); endMinute 1440 means the next
 * day's midnight. Windows are not merged: each window of each date yields at most one interval,
 * and a window that collapses to nothing on a DST day (e.g. 02:30-03:00 on a spring-forward
 * day in Berlin) yields none.
 * Each window needs dayOfWeek 0..6, startMinute 0..1439 and endMinute in (startMinute, 1440];
 * otherwise RangeError.
 */
export function expandWeeklyWindows(
  windows: { dayOfWeek: number; startMinute: number; endMinute: number }[],
  timezone: string,
  from: Date,
  to: Date,
): { start: Date; end: Date }[] {
  for (const w of windows) {
    checkDayOfWeek(w.dayOfWeek, 'window.dayOfWeek');
    checkMinute(w.startMinute, 'window.startMinute', MINUTES_PER_DAY - 1);
    checkMinute(w.endMinute, 'window.endMinute', MINUTES_PER_DAY);
    if (w.endMinute <= w.startMinute) throw new RangeError('window.endMinute must be greater than window.startMinute');
  }
  const zone = zoneOf(timezone);
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  const found: { s: number; e: number }[] = [];
  if (!(fromMs < toMs) || windows.length === 0) return [];

  const byDay: { startMinute: number; endMinute: number }[][] = [[], [], [], [], [], [], []];
  for (const w of windows) byDay[w.dayOfWeek].push(w);
  const first = Math.max(MIN_DAY, localDayOfMs(zone, fromMs) - MARGIN_DAYS);
  const last = Math.min(MAX_DAY, localDayOfMs(zone, toMs) + MARGIN_DAYS);
  for (let day = first; day <= last; day++) {
    for (const w of byDay[weekday(day)]) {
      const s = Math.max(fromMs, zonedToMs(zone, day, w.startMinute));
      const e = Math.min(toMs, zonedToMs(zone, day, w.endMinute));
      if (s < e) found.push({ s, e });
    }
  }
  found.sort((x, y) => x.s - y.s || x.e - y.e);
  return found.map(({ s, e }) => ({ start: new Date(s), end: new Date(e) }));
}
