import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { span, weekdayAndTime, when } from '../../src/notifications/templates/format';

dayjs.extend(utc);
dayjs.extend(timezone);

describe('times in notifications', () => {
  it('are written in the recipient zone, on both sides of a DST change', () => {
    expect(when(new Date('2026-03-28T09:00:00Z'), 'Europe/Berlin')).toBe('Saturday 28 March 2026, 10:00');
    expect(when(new Date('2026-03-30T09:00:00Z'), 'Europe/Berlin')).toBe('Monday 30 March 2026, 11:00');
    expect(when(new Date('2026-03-30T09:00:00Z'), 'America/New_York')).toBe('Monday 30 March 2026, 05:00');
  });

  it('write midnight as 00:00 and a span with its zone', () => {
    expect(span(new Date('2026-12-01T23:00:00Z'), new Date('2026-12-02T00:30:00Z'), 'Europe/Berlin')).toBe('Wednesday 2 December 2026, 00:00-01:30 (Europe/Berlin)');
    expect(weekdayAndTime(new Date('2026-12-01T23:00:00Z'), 'Asia/Kolkata')).toBe('Wednesdays at 04:30');
  });

  it("say what dayjs's timezone plugin says, every 241 minutes for a year in zones with odd rules", () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Casablanca', 'America/Santiago', 'UTC'];
    const from = Date.UTC(2026, 0, 1);
    let compared = 0;
    for (const zone of zones) {
      for (let ms = from; ms < from + 366 * 86_400_000; ms += 241 * 60_000) {
        const instant = new Date(ms);
        const expected = dayjs(instant).tz(zone).format('dddd D MMMM YYYY, HH:mm');
        if (when(instant, zone) !== expected) expect(`${zone} ${instant.toISOString()}: ${when(instant, zone)}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(19_000);
  });
});
