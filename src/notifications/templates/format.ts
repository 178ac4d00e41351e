import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { utcOffsetMs } from '../../domain/zone-time';

dayjs.extend(utc);

/**
 * The one way times are written in notifications and emails: in the recipient's zone
 * (their own, else the studio's), never the process's zone. dayjs writes the text; the
 * offset comes from the domain's per-zone cache, because dayjs's `.tz(zone)` builds a new
 * ICU formatter on every call (toLocaleString with a timeZone), which was the largest CPU
 * cost of changing a 52-session series (bench/RESULTS.md, "Series management").
 */
function inZone(instant: Date, zone: string): dayjs.Dayjs {
  // The wall time of `zone`, read as UTC: exact to the second, whatever the offset.
  return dayjs.utc(instant.getTime() + utcOffsetMs(instant, zone));
}

export function when(instant: Date, zone: string): string {
  return inZone(instant, zone).format('dddd D MMMM YYYY, HH:mm');
}

/** "Tuesday 3 March 2026, 10:00-11:00 (Europe/Berlin)" */
export function span(start: Date, end: Date, zone: string): string {
  return `${when(start, zone)}-${inZone(end, zone).format('HH:mm')} (${zone})`;
}

/** "Tuesdays at 10:00" */
export function weekdayAndTime(instant: Date, zone: string): string {
  return inZone(instant, zone).format('dddd[s at] HH:mm');
}

/** Every name and free text that goes into HTML goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
