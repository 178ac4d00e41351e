/**
 * Wall time <-> instant in IANA time zones (pure: no I/O, no process-TZ dependence).
 *
 * Rules (see DESIGN.md "Domain rules"):
 * - A local time inside a spring-forward gap is shifted forward by the gap length.
 * - An ambiguous local time (fall-back fold) takes the earlier instant.
 *   (Together: Temporal's `disambiguation: 'compatible'`.)
 *
 * Implementation notes:
 * - Only `Intl.DateTimeFormat` is used to learn UTC offsets; everything else is integer
 *   arithmetic on day numbers (civil-date.ts) and epoch milliseconds.
 * - Offsets are cached per zone in 6-hour UTC buckets: the offset is looked up at both
 *   bucket boundaries and, when they differ, the transition instant is found by binary
 *   search (to the second). After warm-up an offset lookup is a Map hit. The model assumes
 *   at most one offset transition per 6-hour UTC bucket, which holds for all of tzdb in
 *   practice.
 * - An unknown zone or invalid Date throws `RangeError`; isValidTimezone is the validator.
 */

import { MINUTES_PER_DAY, MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND, checkDayRange, checkMinute, dayNumberOf, daysFromCivil, formatDay } from './civil-date';

const BUCKET_MS = 6 * 3_600_000;
const MAX_BUCKETS_PER_ZONE = 100_000;

export function instantMs(d: Date, what: string): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} must be a valid Date`);
  return ms;
}

interface Bucket {
  /** offset (ms, local - UTC) at the start of the bucket */
  before: number;
  /** offset from `at` onwards */
  after: number;
  /** first instant (ms) with offset `after`; +Infinity if the offset is constant */
  at: number;
}

export class Zone {
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

export function zoneOf(tz: string): Zone {
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

export function zonedToMs(zone: Zone, dayNumber: number, minuteOfDay: number): number {
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

export function localDayOfMs(zone: Zone, ms: number): number {
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
