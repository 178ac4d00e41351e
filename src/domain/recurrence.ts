/**
 * Wall-clock recurrence in IANA time zones (pure: no I/O, no process-TZ dependence).
 *
 * Rules (see DESIGN.md "Domain rules"):
 * - A recurring booking is a wall-clock time in an IANA zone, kept across DST changes.
 * - A local time inside a spring-forward gap is shifted forward by the gap length.
 * - An ambiguous local time (fall-back fold) takes the earlier instant.
 *   (Together: Temporal's `disambiguation: 'compatible'`.)
 *
 * Implementation notes:
 * - Only `Intl.DateTimeFormat` is used to learn UTC offsets; every other calculation is
 *   integer arithmetic on "day numbers" (days since 1970-01-01) and epoch milliseconds,
 *   so nothing ever reads the process time zone (no `new Date(y, m, d)`, no `getHours()`).
 * - Offsets are cached per zone in 6-hour UTC buckets: the offset is looked up at both
 *   bucket boundaries and, when they differ, the transition instant is found by binary
 *   search (to the second). After warm-up an offset lookup is a Map hit. The model assumes
 *   at most one offset transition per 6-hour UTC bucket, which holds for all of tzdb in
 *   practice.
 * - Programmer errors (unknown zone, malformed date string, minute out of range, invalid
 *   Date) throw `RangeError`; the `parse*`/`isValid*` functions are the non-throwing
 *   validators to use on user input.
 */

export const MINUTES_PER_DAY = 1440;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const BUCKET_MS = 6 * 3_600_000;
const MAX_BUCKETS_PER_ZONE = 100_000;
/** Day numbers of 0001-01-01 and 9999-12-31, the range of dates this module accepts. */
const MIN_DAY = -719_162;
const MAX_DAY = 2_932_896;

// ---------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian; H. Hinnant's days_from_civil / civil_from_days)
// ---------------------------------------------------------------------------------------

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function formatDay(dayNumber: number): string {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const y = year < 10 ? `000${year}` : year < 100 ? `00${year}` : year < 1000 ? `0${year}` : `${year}`;
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Day number of a valid "YYYY-MM-DD" (years 0001..9999), else null. */
function dayNumberOrNull(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = DATE_RE.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  const max = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > max) return null;
  return daysFromCivil(year, month, day);
}

function dayNumberOf(text: string, what: string): number {
  const n = dayNumberOrNull(text);
  if (n === null) throw new RangeError(`${what} must be a real calendar date "YYYY-MM-DD", got ${JSON.stringify(text)}`);
  return n;
}

function checkDayRange(dayNumber: number): number {
  if (dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new RangeError('Date out of the supported range 0001-01-01..9999-12-31');
  }
  return dayNumber;
}

function weekday(dayNumber: number): number {
  // 1970-01-01 (day 0) was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

function instantMs(d: Date, what: string): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} must be a valid Date`);
  return ms;
}

// ---------------------------------------------------------------------------------------
// Local date / time strings
// ---------------------------------------------------------------------------------------

/** "HH:mm" or "HH:mm:ss" (seconds must be 00..59 and are dropped) -> minutes since midnight 0..1439; returns null if malformed or impossible (24:00, 10:60, 1:00, '', ' 10:00'). */
export function parseLocalTime(text: string): number | null {
  if (typeof text !== 'string') return null;
  const m = TIME_RE.exec(text);
  if (m === null) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 23 || minutes > 59) return null;
  if (m[3] !== undefined && Number(m[3]) > 59) return null;
  return hours * 60 + minutes;
}

/**
 * The end of a wall-clock window: a time of day as parseLocalTime, or "24:00" ("24:00:00"),
 * the midnight that ends the day -> 1440. Starts use parseLocalTime: 24:00 starts nothing.
 */
export function parseLocalEndTime(text: string): number | null {
  if (text === '24:00' || text === '24:00:00') return MINUTES_PER_DAY;
  return parseLocalTime(text);
}

/** minutes 0..1440 -> "HH:mm", 1440 as "24:00" (the end of the day). Throws RangeError otherwise. */
export function formatLocalEndTime(minutes: number): string {
  return minutes === MINUTES_PER_DAY ? '24:00' : formatLocalTime(minutes);
}

/** minutes 0..1439 -> "HH:mm". Throws RangeError for anything else (non-integers, 1440, negatives). */
export function formatLocalTime(minutes: number): string {
  if (!isInt(minutes) || minutes < 0 || minutes >= MINUTES_PER_DAY) {
    throw new RangeError(`minutes must be an integer 0..1439, got ${String(minutes)}`);
  }
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** "YYYY-MM-DD" that is a real calendar date (rejects 2025-02-29, 2024-13-01, 2024-1-01) -> same string, else null. Years 0001..9999. */
export function parseLocalDate(text: string): string | null {
  return dayNumberOrNull(text) === null ? null : text;
}

/** Day of week 0=Sunday..6=Saturday of a YYYY-MM-DD date (pure calendar arithmetic). Throws RangeError for an invalid date. */
export function dayOfWeekOf(localDate: string): number {
  return weekday(dayNumberOf(localDate, 'localDate'));
}

/** localDate plus n days (n may be negative; must be an integer). Throws RangeError on invalid input or if the result leaves 0001..9999. */
export function addDays(localDate: string, n: number): string {
  const day = dayNumberOf(localDate, 'localDate');
  if (!isInt(n)) throw new RangeError(`n must be an integer, got ${String(n)}`);
  return formatDay(checkDayRange(day + n));
}

// ---------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------

interface Bucket {
  /** offset (ms, local - UTC) at the start of the bucket */
  before: number;
  /** offset from `at` onwards */
  after: number;
  /** first instant (ms) with offset `after`; +Infinity if the offset is constant */
  at: number;
}

class Zone {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly fmt: Intl.DateTimeFormat) {}

  /** UTC offset in ms (local wall time minus UTC) in force at `ms`. */
  offsetAt(ms: number): number {
    const k = Math.floor(ms / BUCKET_MS);
    let b = this.buckets.get(k);
    if (b === undefined) b = this.computeBucket(k);
    return ms < b.at ? b.before : b.after;
  }

  private computeBucket(k: number): Bucket {
    if (this.buckets.size >= MAX_BUCKETS_PER_ZONE) this.buckets.clear();
    const start = k * BUCKET_MS;
    const end = start + BUCKET_MS;
    const before = this.rawOffset(start);
    const atEnd = this.rawOffset(end);
    let bucket: Bucket;
    if (before === atEnd) {
      bucket = { before, after: before, at: Number.POSITIVE_INFINITY };
    } else {
      // Binary search (whole seconds) for the first instant whose offset differs.
      let lo = start; // offset === before
      let hi = end; // offset !== before
      while (hi - lo > MS_PER_SECOND) {
        const mid = lo + Math.floor((hi - lo) / (2 * MS_PER_SECOND)) * MS_PER_SECOND;
        if (this.rawOffset(mid) === before) lo = mid;
        else hi = mid;
      }
      bucket = { before, after: this.rawOffset(hi), at: hi };
    }
    this.buckets.set(k, bucket);
    return bucket;
  }

  /** Offset at a whole-second instant, asking Intl. */
  private rawOffset(ms: number): number {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const p of this.fmt.formatToParts(ms)) {
      switch (p.type) {
        case 'year': year = Number(p.value); break;
        case 'month': month = Number(p.value); break;
        case 'day': day = Number(p.value); break;
        case 'hour': hour = Number(p.value); break;
        case 'minute': minute = Number(p.value); break;
        case 'second': second = Number(p.value); break;
        case 'era': bc = p.value === 'BC' || p.value === 'B'; break;
        default: break;
      }
    }
    if (bc) year = 1 - year;
    if (hour === 24) hour = 0; // defensive: some ICU versions render midnight as 24 with hour12:false
    const wall = daysFromCivil(year, month, day) * MS_PER_DAY + hour * 3_600_000 + minute * MS_PER_MINUTE + second * MS_PER_SECOND;
    return wall - ms;
  }
}

const zones = new Map<string, Zone>();
const OFFSET_LIKE = /^[+\-\u2212]|^$/;

function zoneOrNull(tz: unknown): Zone | null {
  if (typeof tz !== 'string') return null;
  const cached = zones.get(tz);
  if (cached !== undefined) return cached;
  if (OFFSET_LIKE.test(tz)) return null;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  const zone = new Zone(fmt);
  zones.set(tz, zone);
  return zone;
}

function zoneOf(tz: string): Zone {
  const z = zoneOrNull(tz);
  if (z === null) throw new RangeError(`Unknown IANA time zone ${JSON.stringify(tz)}`);
  return z;
}

/**
 * true if `tz` is an IANA time zone name known to this runtime's Intl (e.g. "Europe/Berlin",
 * "UTC", "Etc/GMT+2", and links such as "US/Eastern").
 *
 * Decisions:
 * - Fixed-offset strings ("+02:00", "-0500", "Z") are rejected even though newer runtimes'
 *   Intl accept them: they are not IANA zones and cannot express DST, and rejecting them
 *   keeps the answer independent of the Node version.
 * - Matching is case-insensitive like Intl (and PostgreSQL): "europe/berlin" is accepted.
 *   Callers that want the canonical spelling can store
 *   `new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone`.
 * - Surrounding whitespace and the empty string are rejected.
 */
export function isValidTimezone(tz: string): boolean {
  return zoneOrNull(tz) !== null;
}

/**
 * Current IANA names that this runtime's ICU still files under their old spelling
 * (resolvedOptions() turns "Europe/Kyiv" into "Europe/Kiev"): known here for their letter case.
 */
const CURRENT_NAMES = [
  'Europe/Kyiv', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Ho_Chi_Minh', 'Asia/Yangon', 'America/Nuuk',
  'Atlantic/Faroe', 'Pacific/Kanton', 'Pacific/Chuuk', 'Pacific/Pohnpei', 'Africa/Asmara',
  'America/Argentina/Buenos_Aires', 'America/Indiana/Indianapolis', 'America/Kentucky/Louisville',
];
let spellings: Map<string, string> | undefined;

/**
 * The name to store for a valid zone: the one the client sent, in its IANA letter case
 * ("europe/berlin" -> "Europe/Berlin"). Never the legacy alias ICU canonicalises to: a client
 * that sent "Europe/Kyiv" gets "Europe/Kyiv" back, not "Europe/Kiev".
 */
export function ianaSpelling(tz: string): string {
  spellings ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone'), ...CURRENT_NAMES].map((name) => [name.toLowerCase(), name]));
  return spellings.get(tz.toLowerCase()) ?? tz;
}

function zonedToMs(zone: Zone, dayNumber: number, minuteOfDay: number): number {
  const wall = dayNumber * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  const offBefore = zone.offsetAt(wall - MS_PER_DAY);
  const offAfter = zone.offsetAt(wall + MS_PER_DAY);
  if (offBefore === offAfter) return wall - offBefore;
  // A transition lies near: check both candidate instants (Temporal's GetPossibleEpochNanoseconds).
  const a = wall - offBefore;
  const b = wall - offAfter;
  const aOk = zone.offsetAt(a) === offBefore;
  const bOk = zone.offsetAt(b) === offAfter;
  if (aOk && bOk) return Math.min(a, b); // fold: the earlier instant
  if (aOk) return a;
  if (bOk) return b;
  // Gap: interpret the wall time with the offset in force before the transition, which is
  // the same as shifting the wall time forward by the gap length.
  return a;
}

function checkMinute(minuteOfDay: number, what: string, max: number): void {
  if (!isInt(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > max) {
    throw new RangeError(`${what} must be an integer 0..${max}, got ${String(minuteOfDay)}`);
  }
}

/**
 * The instant of wall-clock `minuteOfDay` on calendar day `localDate` in `timezone`.
 * Gap: shifted forward by the gap length (02:30 on Berlin's spring-forward day -> 03:30 local = 01:30Z).
 * Fold: earlier instant (02:30 on Berlin's fall-back day -> 00:30Z).
 * `minuteOfDay` may be 0..1440; 1440 means 00:00 of the following day (an end-of-day bound).
 * Throws RangeError on an invalid date, minute or zone.
 */
export function zonedDateTimeToInstant(localDate: string, minuteOfDay: number, timezone: string): Date {
  const day = dayNumberOf(localDate, 'localDate');
  checkMinute(minuteOfDay, 'minuteOfDay', MINUTES_PER_DAY);
  return new Date(zonedToMs(zoneOf(timezone), day, minuteOfDay));
}

function localDayOfMs(zone: Zone, ms: number): number {
  return Math.floor((ms + zone.offsetAt(ms)) / MS_PER_DAY);
}

/** Calendar date (YYYY-MM-DD) of `instant` in `timezone`. Throws RangeError on an invalid Date or zone. */
export function localDateOf(instant: Date, timezone: string): string {
  const ms = instantMs(instant, 'instant');
  return formatDay(checkDayRange(localDayOfMs(zoneOf(timezone), ms)));
}

/**
 * The UTC offset (local wall time minus UTC, in ms) in force in `timezone` at `instant`, from
 * the same per-zone cache as every other calculation here. Throws RangeError like localDateOf.
 */
export function utcOffsetMs(instant: Date, timezone: string): number {
  return zoneOf(timezone).offsetAt(instantMs(instant, 'instant'));
}

// ---------------------------------------------------------------------------------------
// Recurrence
// ---------------------------------------------------------------------------------------

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

/** THE day-of-week rule: 0 (Sunday) to 6 (Saturday). */
export function isDayOfWeek(d: number): boolean {
  return isInt(d) && d >= 0 && d <= 6;
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
