// Times as the person reads them: every instant shown in their own timezone (User.timezone),
// whatever the device's zone; days and weeks are theirs too.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Formatting goes through Intl, one formatter per zone and pattern, kept: a week of 50 items
 * formats a few hundred times, and building a formatter each time (as dayjs's tz() does)
 * cost a quarter of a second on a phone-sized budget. dayjs does the arithmetic.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function format(instant: string, zone: string, locale: string, options: Intl.DateTimeFormatOptions): string {
  const key = `${zone}|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone })));
  return formatter.format(new Date(instant));
}

/** YYYY-MM-DD today in the zone. */
export const todayIn = (zone: string): string => localDateOf(new Date().toISOString(), zone);

export const addDays = (date: string, days: number): string => dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');

/** The instant a local date and time (HH:mm) happen in the zone. */
export const instantOf = (date: string, time: string, zone: string): string => dayjs.tz(`${date} ${time}`, zone).toISOString();

/** Seven days from `start` (a local date) as instants, for queries. */
export function weekOf(start: string, zone: string) {
  return { from: instantOf(start, '00:00', zone), to: instantOf(addDays(start, 7), '00:00', zone) };
}

export const localDateOf = (instant: string, zone: string) => format(instant, zone, 'en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
/** 0 = Sunday, as the API counts. */
export const weekdayOf = (instant: string, zone: string) => dayjs.utc(localDateOf(instant, zone)).day();
export const dayLabel = (instant: string, zone: string) => format(instant, zone, 'en-GB', { weekday: 'short', day: 'numeric', month: 'short' }).replace(',', '');
export const dateLabel = (date: string) => format(`${date}T12:00:00Z`, 'UTC', 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).replace(',', '');
export const shortDate = (date: string) => format(`${date}T12:00:00Z`, 'UTC', 'en-GB', { day: 'numeric', month: 'short' });
export const clock = (instant: string, zone: string) => format(instant, zone, 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
export const rangeLabel = (start: string, end: string, zone: string) => `${clock(start, zone)}–${clock(end, zone)}`;
export const whenLabel = (start: string, end: string, zone: string) => `${dayLabel(start, zone)}, ${rangeLabel(start, end, zone)}`;

/** Items by the person's local date of their start, in the order given. */
export function byDay<T>(items: readonly T[], startOf: (item: T) => string, zone: string): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const item of items) {
    const day = localDateOf(startOf(item), zone);
    const list = days.get(day);
    if (list) list.push(item);
    else days.set(day, [item]);
  }
  return days;
}

/** "every Tuesday" / "every 2 weeks on Tuesday". */
export function everyLabel(dayOfWeek: number, intervalWeeks: number): string {
  return intervalWeeks === 1 ? `Every ${DAY_NAMES[dayOfWeek]}` : `Every ${intervalWeeks} weeks on ${DAY_NAMES[dayOfWeek]}`;
}

export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}
