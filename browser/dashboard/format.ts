// Times on the board are the studio's wall clock, whatever the tablet's own zone.

const timezone = document.querySelector<HTMLMetaElement>('meta[name="studio-timezone"]')?.content || 'UTC';

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
// A calendar date has no zone: format it as that date in UTC.
const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

export const studioTimezone = timezone;
export const formatTime = (iso: string) => clock.format(new Date(iso));
export const formatRange = (start: string, end: string) => `${formatTime(start)}–${formatTime(end)}`;
/** A calendar date (YYYY-MM-DD) named in words. */
export const formatDay = (date: string) => day.format(new Date(`${date}T12:00:00Z`));

export const STATUS_LABELS: Record<string, string> = {
  SCHEDULED: 'Scheduled',
  COMPLETED: 'Completed',
  NO_SHOW: 'No-show',
  CANCELLED: 'Cancelled',
};
