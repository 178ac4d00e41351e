/**
 * Civil (proleptic Gregorian) dates and wall-clock times of day, as plain integers: a date is
 * a "day number" (days since 1970-01-01), a time of day is minutes since midnight. Pure: no
 * time zone, never reads the process TZ (no `new Date(y, m, d)`).
 * Programmer errors (malformed date string, minute out of range) throw `RangeError`; the
 * `parse*`/`isValid*` functions are the non-throwing validators to use on user input.
 */

export const MINUTES_PER_DAY = 1440;

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
/** Day numbers of 0001-01-01 and 9999-12-31, the range of dates these modules accept. */
export const MIN_DAY = -719_162;
export const MAX_DAY = 2_932_896;

// H. Hinnant's days_from_civil / civil_from_days
export function daysFromCivil(year: number, month: number, day: number): number {
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

export function formatDay(dayNumber: number): string {
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

export function dayNumberOf(text: string, what: string): number {
  const n = dayNumberOrNull(text);
  if (n === null) throw new RangeError(`${what} must be a real calendar date "YYYY-MM-DD", got ${JSON.stringify(text)}`);
  return n;
}

export function checkDayRange(dayNumber: number): number {
  if (dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new RangeError('Date out of the supported range 0001-01-01..9999-12-31');
  }
  return dayNumber;
}

export function weekday(dayNumber: number): number {
  // 1970-01-01 (day 0) was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

export function checkMinute(minuteOfDay: number, what: string, max: number): void {
  if (!isInt(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > max) {
    throw new RangeError(`${what} must be an integer 0..${max}, got ${String(minuteOfDay)}`);
  }
}

/** THE day-of-week rule: 0 (Sunday) to 6 (Saturday). */
export function isDayOfWeek(d: number): boolean {
  return isInt(d) && d >= 0 && d <= 6;
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
