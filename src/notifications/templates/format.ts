import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * The one way times are written in notifications and emails: in the recipient's zone
 * (their own, else the studio's), with dayjs (utc + timezone), never the process's zone.
 */
export function when(instant: Date, zone: string): string {
  return dayjs(instant).tz(zone).format('dddd D MMMM YYYY, HH:mm');
}

/** "Tuesday 3 March 2026, 10:00-11:00 (Europe/Berlin)" */
export function span(start: Date, end: Date, zone: string): string {
  return `${when(start, zone)}-${dayjs(end).tz(zone).format('HH:mm')} (${zone})`;
}

export function weekdayAndTime(instant: Date, zone: string): string {
  return dayjs(instant).tz(zone).format('dddd[s at] HH:mm');
}

/** Every name and free text that goes into HTML goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
