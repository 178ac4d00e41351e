import { DateTime } from 'luxon';
import { span, weekdayAndTime, when } from '../../src/notifications/templates/format';

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

  it('say what Luxon says, every 241 minutes for a year in zones with odd rules, whatever the process zone', () => {
    // Not dayjs's own .tz(): it parses the zone's wall time in the process's zone, so in a
    // Berlin process Kathmandu's 02:24 on 29 March 2026 (inside Berlin's DST gap) became 03:24.
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Casablanca', 'America/Santiago', 'UTC'];
    const from = Date.UTC(2026, 0, 1);
    let compared = 0;
    for (const zone of zones) {
      for (let ms = from; ms < from + 366 * 86_400_000; ms += 241 * 60_000) {
        const instant = new Date(ms);
        const expected = DateTime.fromMillis(ms, { zone, locale: 'en-US' }).toFormat('cccc d MMMM yyyy, HH:mm');
        if (when(instant, zone) !== expected) expect(`${zone} ${instant.toISOString()}: ${when(instant, zone)}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(19_000);
    expect(when(new Date('2026-03-28T20:39:00Z'), 'Asia/Kathmandu')).toBe('Sunday 29 March 2026, 02:24');
  });
});
