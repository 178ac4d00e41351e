// Times as the person reads them: every instant shown in their own timezone (User.timezone),
// whatever the device's zone; days and weeks are theirs too.
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const inZone = (instant: string | Date, zone: string): Dayjs => dayjs(instant).tz(zone);

/** YYYY-MM-DD today in the zone. */
export const todayIn = (zone: string): string => dayjs().tz(zone).format('YYYY-MM-DD');

export const addDays = (date: string, days: number): string => dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');

/** The instant a local date and time (HH:mm) happen in the zone. */
export const instantOf = (date: string, time: string, zone: string): string => dayjs.tz(`${date} ${time}`, zone).toISOString();

/** Seven days from `start` (a local date) as instants, for queries. */
export function weekOf(start: string, zone: string) {
  return { from: instantOf(start, '00:00', zone), to: instantOf(addDays(start, 7), '00:00', zone) };
}

export const dayLabel = (instant: string, zone: string) => inZone(instant, zone).format('ddd D MMM');
export const dateLabel = (date: string) => dayjs.utc(date).format('ddd D MMM YYYY');
export const clock = (instant: string, zone: string) => inZone(instant, zone).format('HH:mm');
export const rangeLabel = (start: string, end: string, zone: string) => `${clock(start, zone)}–${clock(end, zone)}`;
export const whenLabel = (start: string, end: string, zone: string) => `${dayLabel(start, zone)}, ${rangeLabel(start, end, zone)}`;
export const localDateOf = (instant: string, zone: string) => inZone(instant, zone).format('YYYY-MM-DD');

/** "every Tuesday" / "every 2 weeks on Tuesday". */
export function everyLabel(dayOfWeek: number, intervalWeeks: number): string {
  return intervalWeeks === 1 ? `Every ${DAY_NAMES[dayOfWeek]}` : `Every ${intervalWeeks} weeks on ${DAY_NAMES[dayOfWeek]}`;
}

export function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}
