import {
  MINUTES_PER_DAY,
  addDays,
  dayOfWeekOf,
  formatLocalEndTime,
  formatLocalTime,
  parseLocalDate,
  parseLocalEndTime,
  parseLocalTime,
} from '../../src/domain/civil-date.js';
import { isValidTimezone, localDateOf, zonedDateTimeToInstant } from '../../src/domain/zone-time.js';
import { expandWeeklyWindows, occurrencesBetween, type WeeklyRule } from '../../src/domain/weekly-rule.js';

// Every expectation below is an absolute UTC instant written as an ISO string, so the
// suite states the same facts whatever process.env.TZ is (CI runs it under UTC,
// America/New_York and Australia/Sydney).
//
// DST changes used (tzdata):
//   Europe/Berlin        2026-03-29 02:00 -> 03:00 (+01 -> +02)   2026-10-25 03:00 -> 02:00
//   America/New_York     2026-03-08 02:00 -> 03:00 (-05 -> -04)   2026-11-01 02:00 -> 01:00
//   Australia/Sydney     2026-04-05 03:00 -> 02:00 (+11 -> +10)   2026-10-04 02:00 -> 03:00
//   Australia/Lord_Howe  2026-04-05 02:00 -> 01:30 (+11 -> +10:30) 2026-10-04 02:00 -> 02:30
//   America/Santiago     2026-04-05 00:00 -> 04-04 23:00 (-03 -> -04) 2026-09-06 00:00 -> 01:00
//   Asia/Kathmandu       +05:45 all year, no DST

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const SYDNEY = 'Australia/Sydney';
const LORD_HOWE = 'Australia/Lord_Howe';
const KATHMANDU = 'Asia/Kathmandu';
const SANTIAGO = 'America/Santiago';

const SUN = 0;
const MON = 1;
const TUE = 2;
const WED = 3;
const FRI = 5;
const SAT = 6;

/** "HH:mm" -> minutes, failing loudly on a typo in the test itself. */
function t(text: string): number {
  const m = parseLocalTime(text);
  if (m === null) throw new Error(`bad time in test: ${text}`);
  return m;
}
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();
const zoned = (date: string, time: string, tz: string): string => iso(zonedDateTimeToInstant(date, t(time), tz));

function rule(overrides: Partial<WeeklyRule>): WeeklyRule {
  return {
    dayOfWeek: TUE,
    startMinute: t('10:00'),
    endMinute: t('11:00'),
    timezone: BERLIN,
    startDate: '2026-01-01',
    endDate: null,
    ...overrides,
  };
}
/** Occurrences as [localDate, startISO, endISO] triples, for readable expectations. */
function occ(r: WeeklyRule, from: string, to: string): Array<[string, string, string]> {
  return occurrencesBetween(r, at(from), at(to)).map((o) => [o.localDate, iso(o.start), iso(o.end)]);
}
function windows(
  list: { dayOfWeek: number; startMinute: number; endMinute: number }[],
  tz: string,
  from: string,
  to: string,
): Array<[string, string]> {
  return expandWeeklyWindows(list, tz, at(from), at(to)).map((w) => [iso(w.start), iso(w.end)]);
}
const win = (dayOfWeek: number, start: string, end: string) => ({
  dayOfWeek,
  startMinute: t(start),
  endMinute: end === '24:00' ? MINUTES_PER_DAY : t(end),
});

/** Independent reference: the wall clock of an instant in a zone, straight from Intl. */
const referenceFormats = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: Date, tz: string): string {
  let format = referenceFormats.get(tz);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    referenceFormats.set(tz, format);
  }
  const parts = format.formatToParts(instant);
  const p = (type: string): string => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

/** UTC offset of a zone at an instant in minutes, from the Intl wall clock. */
function offsetMinutes(instant: Date, tz: string): number {
  return (Date.parse(`${wallClock(instant, tz).replace(' ', 'T')}:00Z`) - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000;
}

describe('MINUTES_PER_DAY', () => {
  it('is 24 hours of 60 minutes', () => {
    expect(MINUTES_PER_DAY).toBe(1440);
  });
});

describe('parseLocalTime', () => {
  it('turns "HH:mm" into minutes since local midnight', () => {
    expect(parseLocalTime('00:00')).toBe(0);
    expect(parseLocalTime('10:30')).toBe(630);
    expect(parseLocalTime('23:59')).toBe(1439);
  });

  it('accepts "HH:mm:ss" and drops the seconds', () => {
    expect(parseLocalTime('10:30:00')).toBe(630);
    expect(parseLocalTime('10:30:59')).toBe(630);
    expect(parseLocalTime('23:59:59')).toBe(1439);
  });

  it.each([
    ['24:00', 'hour 24 does not exist'],
    ['10:60', 'minute 60 does not exist'],
    ['10:00:60', 'second 60 is not accepted'],
    ['1:00', 'hours need two digits'],
    ['10:0', 'minutes need two digits'],
    ['10:00:0', 'seconds need two digits'],
    ['', 'empty'],
    [' 10:00', 'leading space'],
    ['10:00 ', 'trailing space'],
    ['10:00\n', 'trailing newline'],
    ['1000', 'no colon'],
    ['10-00', 'wrong separator'],
    ['10:00:00.000', 'fractional seconds'],
    ['-1:00', 'negative'],
    ['10:00 AM', '12-hour clock'],
    ['\uff11\uff10:\uff10\uff10', 'non-ASCII digits'],
  ])('returns null for %j (%s)', (text) => {
    expect(parseLocalTime(text)).toBeNull();
  });

  it('returns null for a non-string at runtime', () => {
    expect(parseLocalTime(undefined as unknown as string)).toBeNull();
    expect(parseLocalTime(600 as unknown as string)).toBeNull();
  });
});

describe('formatLocalTime', () => {
  it('writes minutes since midnight as zero-padded "HH:mm"', () => {
    expect(formatLocalTime(0)).toBe('00:00');
    expect(formatLocalTime(65)).toBe('01:05');
    expect(formatLocalTime(630)).toBe('10:30');
    expect(formatLocalTime(1439)).toBe('23:59');
  });

  it('is the inverse of parseLocalTime for every minute of the day', () => {
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      expect(parseLocalTime(formatLocalTime(m))).toBe(m);
    }
  });

  it.each([1440, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws a RangeError for %p', (minutes) => {
    expect(() => formatLocalTime(minutes)).toThrow(RangeError);
  });
});

describe('parseLocalEndTime / formatLocalEndTime', () => {
  it('reads 24:00 as the midnight that ends the day (1440) and any time of day as parseLocalTime does', () => {
    expect(parseLocalEndTime('24:00')).toBe(MINUTES_PER_DAY);
    expect(parseLocalEndTime('24:00:00')).toBe(MINUTES_PER_DAY);
    expect(parseLocalEndTime('23:59')).toBe(1439);
    expect(parseLocalEndTime('00:00')).toBe(0);
  });

  it.each(['24:01', '24:00:01', '25:00', '24', ''])('refuses %j', (text) => {
    expect(parseLocalEndTime(text)).toBeNull();
  });

  it('writes 1440 as "24:00", the rest as formatLocalTime, and refuses beyond', () => {
    expect(formatLocalEndTime(MINUTES_PER_DAY)).toBe('24:00');
    expect(formatLocalEndTime(1439)).toBe('23:59');
    expect(() => formatLocalEndTime(1441)).toThrow(RangeError);
  });
});

describe('parseLocalDate', () => {
  it.each(['2026-01-01', '2026-12-31', '2028-02-29', '2024-02-29', '2000-02-29', '2026-04-30', '0001-01-01', '9999-12-31'])(
    'returns %j unchanged because it is a real calendar date',
    (text) => {
      expect(parseLocalDate(text)).toBe(text);
    },
  );

  it.each([
    ['2026-02-29', '2026 is not a leap year'],
    ['2025-02-29', '2025 is not a leap year'],
    ['1900-02-29', 'centuries are not leap years'],
    ['2100-02-29', 'centuries are not leap years'],
    ['2028-02-30', 'February never has 30 days'],
    ['2026-04-31', 'April has 30 days'],
    ['2024-13-01', 'there is no month 13'],
    ['2024-00-10', 'there is no month 0'],
    ['2024-01-00', 'there is no day 0'],
    ['2024-1-01', 'the month needs two digits'],
    ['2024-01-1', 'the day needs two digits'],
    ['20240101', 'separators are required'],
    ['2024/01/01', 'separators must be dashes'],
    ['2024-01-01T00:00', 'a date-time is not a date'],
    [' 2024-01-01', 'leading space'],
    ['2024-01-01 ', 'trailing space'],
    ['', 'empty'],
    ['0000-01-01', 'there is no year 0'],
    ['+02024-01-01', 'expanded years are not accepted'],
  ])('returns null for %j (%s)', (text) => {
    expect(parseLocalDate(text)).toBeNull();
  });
});

describe('isValidTimezone', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC', 'Etc/GMT+2', 'US/Eastern'])(
    'accepts the IANA zone %j',
    (tz) => {
      expect(isValidTimezone(tz)).toBe(true);
    },
  );

  it.each([
    ['Mars/Olympus', 'an unknown name'],
    ['', 'the empty string'],
    ['+02:00', 'a fixed offset, which is not an IANA zone (rejected on every Node version)'],
    ['-05:00', 'a negative fixed offset'],
    ['+0200', 'a compact fixed offset'],
    ['Z', 'the UTC designator'],
    [' Europe/Berlin', 'a name with a leading space'],
    ['Europe/Berlin ', 'a name with a trailing space'],
  ])('rejects %j (%s)', (tz) => {
    expect(isValidTimezone(tz)).toBe(false);
  });

  it('matches names case-insensitively, as Intl and PostgreSQL do', () => {
    expect(isValidTimezone('europe/berlin')).toBe(true);
  });

  it('returns false for a non-string at runtime', () => {
    expect(isValidTimezone(undefined as unknown as string)).toBe(false);
    expect(isValidTimezone(null as unknown as string)).toBe(false);
  });
});

describe('dayOfWeekOf', () => {
  it.each([
    ['1970-01-01', 4],
    ['2000-01-01', SAT],
    ['2026-03-29', SUN],
    ['2026-10-25', SUN],
    ['2026-03-08', SUN],
    ['2028-02-29', TUE],
    ['0001-01-01', MON],
    ['9999-12-31', FRI],
  ])('says %s is day %i (0 = Sunday)', (date, dow) => {
    expect(dayOfWeekOf(date)).toBe(dow);
  });

  it('agrees with the UTC calendar for every day from 1999 to 2031', () => {
    const wrong: string[] = [];
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2032, 0, 1); ms += 86_400_000) {
      const d = new Date(ms);
      const date = d.toISOString().slice(0, 10);
      if (dayOfWeekOf(date) !== d.getUTCDay()) wrong.push(date);
    }
    expect(wrong).toEqual([]);
  });

  it('throws a RangeError for a date that does not exist', () => {
    expect(() => dayOfWeekOf('2026-02-29')).toThrow(RangeError);
    expect(() => dayOfWeekOf('tomorrow')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('moves forward and backward across month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('2028-01-01', 366)).toBe('2029-01-01');
    expect(addDays('2026-03-22', 7)).toBe('2026-03-29');
  });

  it('agrees with the UTC calendar for every day from 1999 to 2031', () => {
    let date = '1999-01-01';
    const wrong: string[] = [];
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2032, 0, 1); ms += 86_400_000) {
      const expected = new Date(ms).toISOString().slice(0, 10);
      if (date !== expected) wrong.push(`${date} != ${expected}`);
      date = addDays(date, 1);
    }
    expect(wrong).toEqual([]);
  });

  it('is undone by adding the opposite number of days', () => {
    for (const n of [-1000, -36, -1, 1, 42, 10_000]) {
      expect(addDays(addDays('2026-06-15', n), -n)).toBe('2026-06-15');
    }
  });

  it('throws a RangeError for an invalid date, a fractional day count or a result outside 0001..9999', () => {
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
  });
});

describe('localDateOf', () => {
  it('gives the calendar date on the wall in the zone, not in UTC', () => {
    expect(localDateOf(at('2026-03-28T23:00:00Z'), BERLIN)).toBe('2026-03-29'); // 00:00 CET
    expect(localDateOf(at('2026-03-28T22:59:59.999Z'), BERLIN)).toBe('2026-03-28');
    expect(localDateOf(at('2026-06-30T22:00:00Z'), BERLIN)).toBe('2026-07-01'); // 00:00 CEST
    expect(localDateOf(at('2026-06-30T21:59:59Z'), BERLIN)).toBe('2026-06-30');
    expect(localDateOf(at('2026-03-08T04:59:00Z'), NEW_YORK)).toBe('2026-03-07'); // 23:59 EST
    expect(localDateOf(at('2026-04-04T23:00:00Z'), SYDNEY)).toBe('2026-04-05'); // 09:00 AEST
    expect(localDateOf(at('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-01-01');
  });

  it('handles a 45-minute offset (Asia/Kathmandu, +05:45)', () => {
    expect(localDateOf(at('2026-01-01T18:14:59Z'), KATHMANDU)).toBe('2026-01-01');
    expect(localDateOf(at('2026-01-01T18:15:00Z'), KATHMANDU)).toBe('2026-01-02');
  });

  it('handles a half-hour offset (Australia/Lord_Howe, +10:30 in winter)', () => {
    expect(localDateOf(at('2026-06-30T13:29:59Z'), LORD_HOWE)).toBe('2026-06-30');
    expect(localDateOf(at('2026-06-30T13:30:00Z'), LORD_HOWE)).toBe('2026-07-01');
  });

  it('follows a date that repeats when clocks fall back at midnight (America/Santiago)', () => {
    expect(localDateOf(at('2026-04-05T02:59:59Z'), SANTIAGO)).toBe('2026-04-04'); // 23:59:59 -03
    expect(localDateOf(at('2026-04-05T03:00:00Z'), SANTIAGO)).toBe('2026-04-04'); // 23:00 -04 again
    expect(localDateOf(at('2026-04-05T04:00:00Z'), SANTIAGO)).toBe('2026-04-05');
  });

  it('agrees with Intl for every hour of 2026 in several zones', () => {
    const wrong: string[] = [];
    for (const tz of [BERLIN, NEW_YORK, SYDNEY, LORD_HOWE, KATHMANDU, SANTIAGO]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_600_000) {
        const instant = new Date(ms);
        if (localDateOf(instant, tz) !== wallClock(instant, tz).slice(0, 10)) wrong.push(`${tz} ${instant.toISOString()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('throws a RangeError for an invalid Date or an unknown zone', () => {
    expect(() => localDateOf(new Date(Number.NaN), BERLIN)).toThrow(RangeError);
    expect(() => localDateOf(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedDateTimeToInstant', () => {
  it('uses standard time in winter and summer time in summer', () => {
    expect(zoned('2026-01-13', '10:00', BERLIN)).toBe('2026-01-13T09:00:00.000Z');
    expect(zoned('2026-07-14', '10:00', BERLIN)).toBe('2026-07-14T08:00:00.000Z');
    expect(zoned('2026-01-13', '10:00', NEW_YORK)).toBe('2026-01-13T15:00:00.000Z');
    expect(zoned('2026-07-14', '10:00', NEW_YORK)).toBe('2026-07-14T14:00:00.000Z');
    expect(zoned('2026-07-14', '10:00', SYDNEY)).toBe('2026-07-14T00:00:00.000Z'); // winter down under
    expect(zoned('2026-01-13', '10:00', SYDNEY)).toBe('2026-01-12T23:00:00.000Z'); // summer down under
    expect(zoned('2026-07-14', '10:00', 'UTC')).toBe('2026-07-14T10:00:00.000Z');
  });

  it('applies a 45-minute offset (Asia/Kathmandu, +05:45)', () => {
    expect(zoned('2026-06-01', '10:00', KATHMANDU)).toBe('2026-06-01T04:15:00.000Z');
    expect(zoned('2026-06-01', '00:00', KATHMANDU)).toBe('2026-05-31T18:15:00.000Z');
    expect(zoned('2026-12-01', '05:44', KATHMANDU)).toBe('2026-11-30T23:59:00.000Z');
  });

  it('treats minute 1440 as midnight at the start of the next day', () => {
    expect(iso(zonedDateTimeToInstant('2026-03-28', MINUTES_PER_DAY, BERLIN))).toBe(zoned('2026-03-29', '00:00', BERLIN));
    expect(iso(zonedDateTimeToInstant('2026-12-31', MINUTES_PER_DAY, BERLIN))).toBe('2026-12-31T23:00:00.000Z');
  });

  describe('on Berlin spring-forward day (2026-03-29, 02:00 -> 03:00)', () => {
    it('keeps times before the gap in CET (+01)', () => {
      expect(zoned('2026-03-29', '00:00', BERLIN)).toBe('2026-03-28T23:00:00.000Z');
      expect(zoned('2026-03-29', '01:59', BERLIN)).toBe('2026-03-29T00:59:00.000Z');
    });

    it('shifts a time inside the gap forward by the gap length (02:30 -> 03:30 CEST = 01:30Z)', () => {
      expect(zoned('2026-03-29', '02:00', BERLIN)).toBe('2026-03-29T01:00:00.000Z');
      expect(zoned('2026-03-29', '02:30', BERLIN)).toBe('2026-03-29T01:30:00.000Z');
      expect(zoned('2026-03-29', '02:59', BERLIN)).toBe('2026-03-29T01:59:00.000Z');
      expect(wallClock(zonedDateTimeToInstant('2026-03-29', t('02:30'), BERLIN), BERLIN)).toBe('2026-03-29 03:30');
    });

    it('uses CEST (+02) from 03:00 on, so 03:30 is the same instant as a shifted 02:30', () => {
      expect(zoned('2026-03-29', '03:00', BERLIN)).toBe('2026-03-29T01:00:00.000Z');
      expect(zoned('2026-03-29', '03:30', BERLIN)).toBe('2026-03-29T01:30:00.000Z');
      expect(zoned('2026-03-29', '10:00', BERLIN)).toBe('2026-03-29T08:00:00.000Z');
    });
  });

  describe('on Berlin fall-back day (2026-10-25, 03:00 -> 02:00)', () => {
    it('takes the earlier instant (CEST) for a time that happens twice', () => {
      expect(zoned('2026-10-25', '02:00', BERLIN)).toBe('2026-10-25T00:00:00.000Z');
      expect(zoned('2026-10-25', '02:30', BERLIN)).toBe('2026-10-25T00:30:00.000Z');
      expect(zoned('2026-10-25', '02:59', BERLIN)).toBe('2026-10-25T00:59:00.000Z');
    });

    it('uses CEST before the repeated hour and CET (+01) after it', () => {
      expect(zoned('2026-10-25', '01:59', BERLIN)).toBe('2026-10-24T23:59:00.000Z');
      expect(zoned('2026-10-25', '03:00', BERLIN)).toBe('2026-10-25T02:00:00.000Z');
      expect(zoned('2026-10-25', '10:00', BERLIN)).toBe('2026-10-25T09:00:00.000Z');
    });
  });

  describe('in New York', () => {
    it('shifts 02:30 on spring-forward day (2026-03-08) to 03:30 EDT', () => {
      expect(zoned('2026-03-08', '01:59', NEW_YORK)).toBe('2026-03-08T06:59:00.000Z');
      expect(zoned('2026-03-08', '02:30', NEW_YORK)).toBe('2026-03-08T07:30:00.000Z');
      expect(zoned('2026-03-08', '03:00', NEW_YORK)).toBe('2026-03-08T07:00:00.000Z');
    });

    it('takes the EDT (earlier) instant for 01:30 on fall-back day (2026-11-01)', () => {
      expect(zoned('2026-11-01', '00:59', NEW_YORK)).toBe('2026-11-01T04:59:00.000Z');
      expect(zoned('2026-11-01', '01:30', NEW_YORK)).toBe('2026-11-01T05:30:00.000Z');
      expect(zoned('2026-11-01', '02:00', NEW_YORK)).toBe('2026-11-01T07:00:00.000Z');
    });
  });

  describe('in Sydney (southern hemisphere)', () => {
    it('takes the AEDT (earlier) instant for 02:30 when DST ends (2026-04-05, 03:00 -> 02:00)', () => {
      expect(zoned('2026-04-05', '01:59', SYDNEY)).toBe('2026-04-04T14:59:00.000Z');
      expect(zoned('2026-04-05', '02:30', SYDNEY)).toBe('2026-04-04T15:30:00.000Z');
      expect(zoned('2026-04-05', '03:00', SYDNEY)).toBe('2026-04-04T17:00:00.000Z');
    });

    it('shifts 02:30 to 03:30 AEDT when DST starts (2026-10-04, 02:00 -> 03:00)', () => {
      expect(zoned('2026-10-04', '01:59', SYDNEY)).toBe('2026-10-03T15:59:00.000Z');
      expect(zoned('2026-10-04', '02:30', SYDNEY)).toBe('2026-10-03T16:30:00.000Z');
      expect(zoned('2026-10-04', '03:00', SYDNEY)).toBe('2026-10-03T16:00:00.000Z');
    });
  });

  describe('on Lord Howe Island (30-minute DST shift, +10:30 / +11)', () => {
    it('shifts a time in the 30-minute spring gap (2026-10-04, 02:00 -> 02:30) forward by 30 minutes', () => {
      expect(zoned('2026-10-04', '01:59', LORD_HOWE)).toBe('2026-10-03T15:29:00.000Z');
      expect(zoned('2026-10-04', '02:00', LORD_HOWE)).toBe('2026-10-03T15:30:00.000Z');
      expect(zoned('2026-10-04', '02:15', LORD_HOWE)).toBe('2026-10-03T15:45:00.000Z');
      expect(wallClock(zonedDateTimeToInstant('2026-10-04', t('02:15'), LORD_HOWE), LORD_HOWE)).toBe('2026-10-04 02:45');
      expect(zoned('2026-10-04', '02:30', LORD_HOWE)).toBe('2026-10-03T15:30:00.000Z');
    });

    it('takes the earlier instant in the 30-minute autumn fold (2026-04-05, 02:00 -> 01:30)', () => {
      expect(zoned('2026-04-05', '01:29', LORD_HOWE)).toBe('2026-04-04T14:29:00.000Z');
      expect(zoned('2026-04-05', '01:30', LORD_HOWE)).toBe('2026-04-04T14:30:00.000Z');
      expect(zoned('2026-04-05', '01:45', LORD_HOWE)).toBe('2026-04-04T14:45:00.000Z');
      expect(zoned('2026-04-05', '02:00', LORD_HOWE)).toBe('2026-04-04T15:30:00.000Z');
    });
  });

  describe('in a zone that changes at midnight (America/Santiago)', () => {
    it('shifts 00:30 on spring-forward day (2026-09-06) to 01:30', () => {
      expect(zoned('2026-09-05', '23:30', SANTIAGO)).toBe('2026-09-06T03:30:00.000Z');
      expect(zoned('2026-09-06', '00:00', SANTIAGO)).toBe('2026-09-06T04:00:00.000Z');
      expect(zoned('2026-09-06', '00:30', SANTIAGO)).toBe('2026-09-06T04:30:00.000Z');
      expect(zoned('2026-09-06', '01:00', SANTIAGO)).toBe('2026-09-06T04:00:00.000Z');
    });

    it('takes the earlier instant for 23:30 of the day whose last hour repeats (2026-04-04)', () => {
      expect(zoned('2026-04-04', '23:30', SANTIAGO)).toBe('2026-04-05T02:30:00.000Z');
      expect(zoned('2026-04-05', '00:30', SANTIAGO)).toBe('2026-04-05T04:30:00.000Z');
    });
  });

  it('shifts a time on a calendar day that never happened by the whole 24-hour gap (Pacific/Apia, 2011-12-30)', () => {
    expect(zoned('2011-12-29', '23:59', 'Pacific/Apia')).toBe('2011-12-30T09:59:00.000Z'); // -10
    expect(zoned('2011-12-30', '10:00', 'Pacific/Apia')).toBe('2011-12-30T20:00:00.000Z'); // = 12-31 10:00 +14
    expect(zoned('2011-12-31', '10:00', 'Pacific/Apia')).toBe('2011-12-30T20:00:00.000Z');
  });

  it('lands every quarter hour of DST-change days on its own wall time, or a gap time on the time shifted by the gap', () => {
    const days: Array<[string, string]> = [
      [BERLIN, '2026-03-29'],
      [BERLIN, '2026-10-25'],
      [NEW_YORK, '2026-03-08'],
      [NEW_YORK, '2026-11-01'],
      [SYDNEY, '2026-04-05'],
      [SYDNEY, '2026-10-04'],
      [LORD_HOWE, '2026-04-05'],
      [LORD_HOWE, '2026-10-04'],
      [SANTIAGO, '2026-09-06'],
      [KATHMANDU, '2026-06-01'],
    ];
    let shifted = 0;
    for (const [tz, date] of days) {
      for (let m = 0; m < MINUTES_PER_DAY; m += 15) {
        const instant = zonedDateTimeToInstant(date, m, tz);
        const wall = wallClock(instant, tz);
        const asked = `${date} ${formatLocalTime(m)}`;
        if (wall !== asked) {
          shifted++;
          const gapMinutes = offsetMinutes(instant, tz) - offsetMinutes(new Date(instant.getTime() - 86_400_000), tz);
          expect(gapMinutes).toBeGreaterThan(0);
          expect(wall).toBe(`${date} ${formatLocalTime(m + gapMinutes)}`);
          // ...and the asked-for time really does not exist under either offset.
          expect(wallClock(new Date(instant.getTime() - gapMinutes * 60_000), tz)).not.toBe(asked);
        }
        expect(localDateOf(instant, tz)).toBe(wall.slice(0, 10));
      }
    }
    // Gaps: 4 quarter hours each in Berlin, New York, Sydney, Santiago; 2 on Lord Howe.
    expect(shifted).toBe(18);
  });

  it('never returns the later of two instants of a repeated wall time', () => {
    for (const [tz, date] of [[BERLIN, '2026-10-25'], [NEW_YORK, '2026-11-01'], [SYDNEY, '2026-04-05'], [LORD_HOWE, '2026-04-05']]) {
      for (let m = 0; m < MINUTES_PER_DAY; m += 5) {
        const instant = zonedDateTimeToInstant(date, m, tz);
        const wall = wallClock(instant, tz);
        // No earlier instant within the previous 90 minutes shows the same wall time.
        for (let back = 30; back <= 90; back += 30) {
          expect(wallClock(new Date(instant.getTime() - back * 60_000), tz)).not.toBe(wall);
        }
      }
    }
  });

  it('throws a RangeError for an invalid date, minute or zone', () => {
    expect(() => zonedDateTimeToInstant('2026-02-29', 600, BERLIN)).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-01', -1, BERLIN)).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-01', 1441, BERLIN)).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-01', 600.5, BERLIN)).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-01', 600, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-01', 600, '+02:00')).toThrow(RangeError);
  });
});

describe('occurrencesBetween', () => {
  describe('a weekly Tuesday 10:00-11:00 Europe/Berlin series', () => {
    const tuesday = rule({});

    it('stays at 10:00 local, so its UTC start moves from 09:00Z to 08:00Z across the spring change', () => {
      expect(occ(tuesday, '2026-03-16T00:00:00Z', '2026-04-08T00:00:00Z')).toEqual([
        ['2026-03-17', '2026-03-17T09:00:00.000Z', '2026-03-17T10:00:00.000Z'],
        ['2026-03-24', '2026-03-24T09:00:00.000Z', '2026-03-24T10:00:00.000Z'],
        ['2026-03-31', '2026-03-31T08:00:00.000Z', '2026-03-31T09:00:00.000Z'],
        ['2026-04-07', '2026-04-07T08:00:00.000Z', '2026-04-07T09:00:00.000Z'],
      ]);
    });

    it('moves back from 08:00Z to 09:00Z across the autumn change', () => {
      expect(occ(tuesday, '2026-10-19T00:00:00Z', '2026-11-01T00:00:00Z')).toEqual([
        ['2026-10-20', '2026-10-20T08:00:00.000Z', '2026-10-20T09:00:00.000Z'],
        ['2026-10-27', '2026-10-27T09:00:00.000Z', '2026-10-27T10:00:00.000Z'],
      ]);
    });

    it('returns every occurrence of an open-ended series over a whole year, all at 10:00 local, in order', () => {
      const list = occurrencesBetween(tuesday, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
      expect(list).toHaveLength(52);
      expect(list[0].localDate).toBe('2026-01-06');
      expect(list[51].localDate).toBe('2026-12-29');
      for (let i = 0; i < list.length; i++) {
        expect(dayOfWeekOf(list[i].localDate)).toBe(TUE);
        expect(wallClock(list[i].start, BERLIN)).toBe(`${list[i].localDate} 10:00`);
        expect(list[i].end.getTime() - list[i].start.getTime()).toBe(60 * 60_000);
        if (i > 0) {
          expect(list[i].start.getTime()).toBeGreaterThan(list[i - 1].start.getTime());
          expect(list[i].localDate).toBe(addDays(list[i - 1].localDate, 7));
        }
      }
    });
  });

  describe('on the day of a DST change', () => {
    it('includes the change day itself when the series starts on it (Berlin, Sunday 2026-03-29)', () => {
      const r = rule({ dayOfWeek: SUN, startDate: '2026-03-29' });
      expect(occ(r, '2026-03-01T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
        ['2026-03-29', '2026-03-29T08:00:00.000Z', '2026-03-29T09:00:00.000Z'],
        ['2026-04-05', '2026-04-05T08:00:00.000Z', '2026-04-05T09:00:00.000Z'],
      ]);
    });

    it('includes the change day itself when the series ends on it (Berlin, Sunday 2026-10-25)', () => {
      const r = rule({ dayOfWeek: SUN, endDate: '2026-10-25' });
      expect(occ(r, '2026-10-17T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual([
        ['2026-10-18', '2026-10-18T08:00:00.000Z', '2026-10-18T09:00:00.000Z'],
        ['2026-10-25', '2026-10-25T09:00:00.000Z', '2026-10-25T10:00:00.000Z'],
      ]);
    });

    it('shifts a start inside the gap forward and keeps the booked duration (02:00-03:00 -> 03:00-04:00 CEST)', () => {
      const r = rule({ dayOfWeek: SUN, startMinute: t('02:00'), endMinute: t('03:00') });
      expect(occ(r, '2026-03-21T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
        ['2026-03-22', '2026-03-22T01:00:00.000Z', '2026-03-22T02:00:00.000Z'],
        ['2026-03-29', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z'],
        ['2026-04-05', '2026-04-05T00:00:00.000Z', '2026-04-05T01:00:00.000Z'],
      ]);
    });

    it('starts a repeated (fold) time at the earlier instant and keeps the booked duration', () => {
      const r = rule({ dayOfWeek: SUN, startMinute: t('02:30'), endMinute: t('03:30') });
      expect(occ(r, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
        ['2026-10-25', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
      ]);
    });

    it('keeps the duration, not the wall end, when the session spans the change (01:30-03:30 is 2 hours)', () => {
      const spring = rule({ dayOfWeek: SUN, startMinute: t('01:30'), endMinute: t('03:30') });
      expect(occ(spring, '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
        ['2026-03-29', '2026-03-29T00:30:00.000Z', '2026-03-29T02:30:00.000Z'],
      ]);
      expect(occ(spring, '2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([]); // 01:30 CEST is 23:30Z the day before
      expect(occ(spring, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
        ['2026-10-25', '2026-10-24T23:30:00.000Z', '2026-10-25T01:30:00.000Z'],
      ]);
    });

    it('follows New York across both 2026 changes', () => {
      const r = rule({ dayOfWeek: SUN, startMinute: t('09:00'), endMinute: t('10:00'), timezone: NEW_YORK });
      expect(occ(r, '2026-03-01T00:00:00Z', '2026-03-09T00:00:00Z').map((o) => o[1])).toEqual([
        '2026-03-01T14:00:00.000Z',
        '2026-03-08T13:00:00.000Z',
      ]);
      expect(occ(r, '2026-10-25T00:00:00Z', '2026-11-02T00:00:00Z').map((o) => o[1])).toEqual([
        '2026-10-25T13:00:00.000Z',
        '2026-11-01T14:00:00.000Z',
      ]);
    });

    it('follows Sydney, where DST ends in April and starts in October', () => {
      const r = rule({ dayOfWeek: SUN, startMinute: t('09:00'), endMinute: t('10:00'), timezone: SYDNEY });
      expect(occ(r, '2026-03-28T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
        ['2026-03-29', '2026-03-28T22:00:00.000Z', '2026-03-28T23:00:00.000Z'],
        ['2026-04-05', '2026-04-04T23:00:00.000Z', '2026-04-05T00:00:00.000Z'],
      ]);
      expect(occ(r, '2026-09-26T00:00:00Z', '2026-10-05T00:00:00Z')).toEqual([
        ['2026-09-27', '2026-09-26T23:00:00.000Z', '2026-09-27T00:00:00.000Z'],
        ['2026-10-04', '2026-10-03T22:00:00.000Z', '2026-10-03T23:00:00.000Z'],
      ]);
    });

    it('handles the 30-minute shift on Lord Howe Island (Sunday 02:15 falls in the gap on 2026-10-04)', () => {
      const r = rule({ dayOfWeek: SUN, startMinute: t('02:15'), endMinute: t('03:15'), timezone: LORD_HOWE });
      expect(occ(r, '2026-09-26T00:00:00Z', '2026-10-11T00:00:00Z')).toEqual([
        ['2026-09-27', '2026-09-26T15:45:00.000Z', '2026-09-26T16:45:00.000Z'], // +10:30
        ['2026-10-04', '2026-10-03T15:45:00.000Z', '2026-10-03T16:45:00.000Z'], // shifted to 02:45 +11
        ['2026-10-11', '2026-10-10T15:15:00.000Z', '2026-10-10T16:15:00.000Z'], // +11
      ]);
    });

    it('uses the fixed +05:45 offset of Asia/Kathmandu all year', () => {
      const r = rule({ dayOfWeek: MON, startMinute: t('09:00'), endMinute: t('10:30'), timezone: KATHMANDU });
      const list = occurrencesBetween(r, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
      expect(list).toHaveLength(52);
      for (const o of list) {
        expect(iso(o.start)).toBe(`${o.localDate}T03:15:00.000Z`);
        expect(iso(o.end)).toBe(`${o.localDate}T04:45:00.000Z`);
      }
    });

    it('gives a day that was skipped entirely (Pacific/Apia, Friday 2011-12-30) its gap-shifted instant', () => {
      const r = rule({ dayOfWeek: FRI, timezone: 'Pacific/Apia', startDate: '2011-12-01' });
      expect(occ(r, '2011-12-20T00:00:00Z', '2012-01-08T00:00:00Z')).toEqual([
        ['2011-12-23', '2011-12-23T20:00:00.000Z', '2011-12-23T21:00:00.000Z'], // -10
        ['2011-12-30', '2011-12-30T20:00:00.000Z', '2011-12-30T21:00:00.000Z'], // shifted 24 h
        ['2012-01-06', '2012-01-05T20:00:00.000Z', '2012-01-05T21:00:00.000Z'], // +14
      ]);
    });
  });

  it('produces a Tuesday series over February 2028 including the leap day', () => {
    const r = rule({ startDate: '2028-02-01', endDate: '2028-03-07' });
    expect(occ(r, '2028-01-01T00:00:00Z', '2028-04-01T00:00:00Z')).toEqual([
      ['2028-02-01', '2028-02-01T09:00:00.000Z', '2028-02-01T10:00:00.000Z'],
      ['2028-02-08', '2028-02-08T09:00:00.000Z', '2028-02-08T10:00:00.000Z'],
      ['2028-02-15', '2028-02-15T09:00:00.000Z', '2028-02-15T10:00:00.000Z'],
      ['2028-02-22', '2028-02-22T09:00:00.000Z', '2028-02-22T10:00:00.000Z'],
      ['2028-02-29', '2028-02-29T09:00:00.000Z', '2028-02-29T10:00:00.000Z'],
      ['2028-03-07', '2028-03-07T09:00:00.000Z', '2028-03-07T10:00:00.000Z'],
    ]);
  });

  describe('series bounds (local dates, inclusive)', () => {
    const wideFrom = '2025-01-01T00:00:00Z';
    const wideTo = '2028-01-01T00:00:00Z';

    it('includes both startDate and endDate when they fall on the rule weekday', () => {
      const r = rule({ startDate: '2026-03-03', endDate: '2026-03-17' });
      expect(occ(r, wideFrom, wideTo).map((o) => o[0])).toEqual(['2026-03-03', '2026-03-10', '2026-03-17']);
    });

    it('has exactly one occurrence when startDate = endDate is the rule weekday', () => {
      const r = rule({ startDate: '2026-03-10', endDate: '2026-03-10' });
      expect(occ(r, wideFrom, wideTo).map((o) => o[0])).toEqual(['2026-03-10']);
    });

    it('jumps to the first rule weekday after a startDate on another weekday', () => {
      const r = rule({ startDate: '2026-03-04', endDate: '2026-03-23' }); // a Wednesday to a Monday
      expect(occ(r, wideFrom, wideTo).map((o) => o[0])).toEqual(['2026-03-10', '2026-03-17']);
    });

    it('is empty when the bounds contain no rule weekday', () => {
      const r = rule({ startDate: '2026-03-04', endDate: '2026-03-09' });
      expect(occ(r, wideFrom, wideTo)).toEqual([]);
    });

    it('is empty when endDate is before startDate', () => {
      const r = rule({ startDate: '2026-03-17', endDate: '2026-03-10' });
      expect(occ(r, wideFrom, wideTo)).toEqual([]);
    });

    it('is empty when the series ended before `from`', () => {
      const r = rule({ startDate: '2026-01-01', endDate: '2026-03-10' });
      expect(occ(r, '2026-03-11T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual([]);
    });

    it('is empty when the series starts after `to`', () => {
      const r = rule({ startDate: '2026-06-02' });
      expect(occ(r, '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual([]);
    });

    it('compares bounds with the local date, not the UTC date (Sydney Monday 08:00 is Sunday in UTC)', () => {
      const r = rule({ dayOfWeek: MON, startMinute: t('08:00'), endMinute: t('09:00'), timezone: SYDNEY, startDate: '2026-06-01', endDate: '2026-06-08' });
      expect(occ(r, wideFrom, wideTo)).toEqual([
        ['2026-06-01', '2026-05-31T22:00:00.000Z', '2026-05-31T23:00:00.000Z'],
        ['2026-06-08', '2026-06-07T22:00:00.000Z', '2026-06-07T23:00:00.000Z'],
      ]);
    });
  });

  describe('the [from, to) window on start instants', () => {
    const r = rule({}); // Tuesday 2026-03-10 10:00 CET = 09:00Z

    it('includes an occurrence starting exactly at `from`', () => {
      expect(occ(r, '2026-03-10T09:00:00Z', '2026-03-11T00:00:00Z').map((o) => o[0])).toEqual(['2026-03-10']);
    });

    it('excludes an occurrence starting exactly at `to`', () => {
      expect(occ(r, '2026-03-03T09:00:01Z', '2026-03-10T09:00:00Z')).toEqual([]);
    });

    it('excludes an occurrence that started before `from`, even if it is still running', () => {
      expect(occ(r, '2026-03-10T09:00:00.001Z', '2026-03-17T09:00:00Z')).toEqual([]);
    });

    it('is empty when `from` is not before `to`', () => {
      expect(occ(r, '2026-03-10T09:00:00Z', '2026-03-10T09:00:00Z')).toEqual([]);
      expect(occ(r, '2026-04-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([]);
    });

    it('finds an occurrence whose local date is already the next day in UTC (Sydney Monday 08:00 = Sunday 22:00Z)', () => {
      const sydney = rule({ dayOfWeek: MON, startMinute: t('08:00'), endMinute: t('09:00'), timezone: SYDNEY });
      expect(occ(sydney, '2026-05-31T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual([
        ['2026-06-01', '2026-05-31T22:00:00.000Z', '2026-05-31T23:00:00.000Z'],
      ]);
    });

    it('finds an occurrence whose local date is still the previous day in UTC (New York Friday 22:00 = Saturday 02:00Z)', () => {
      const ny = rule({ dayOfWeek: FRI, startMinute: t('22:00'), endMinute: t('23:00'), timezone: NEW_YORK });
      expect(occ(ny, '2026-06-06T00:00:00Z', '2026-06-06T12:00:00Z')).toEqual([
        ['2026-06-05', '2026-06-06T02:00:00.000Z', '2026-06-06T03:00:00.000Z'],
      ]);
    });

    it('splits a long range into the same occurrences as its pieces', () => {
      const whole = occurrencesBetween(r, at('2026-01-01T00:00:00Z'), at('2036-01-01T00:00:00Z'));
      const pieces = [
        ...occurrencesBetween(r, at('2026-01-01T00:00:00Z'), at('2026-03-31T08:00:00Z')),
        ...occurrencesBetween(r, at('2026-03-31T08:00:00Z'), at('2031-07-01T00:00:00Z')),
        ...occurrencesBetween(r, at('2031-07-01T00:00:00Z'), at('2036-01-01T00:00:00Z')),
      ];
      expect(pieces).toEqual(whole);
      expect(whole).toHaveLength(521); // Tuesdays from 2026-01-06 to 2035-12-25
    });
  });

  it('gives each occurrence the start zonedDateTimeToInstant gives for its local date', () => {
    for (const tz of [BERLIN, NEW_YORK, SYDNEY, LORD_HOWE, KATHMANDU, SANTIAGO]) {
      for (const [dayOfWeek, startMinute] of [[SUN, t('00:00')], [SUN, t('02:30')], [WED, t('23:45')], [SAT, t('12:00')]]) {
        const r = rule({ dayOfWeek, startMinute, endMinute: startMinute + 15, timezone: tz });
        const list = occurrencesBetween(r, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
        expect(list.length).toBeGreaterThanOrEqual(52);
        for (const o of list) {
          expect(dayOfWeekOf(o.localDate)).toBe(dayOfWeek);
          expect(o.start).toEqual(zonedDateTimeToInstant(o.localDate, startMinute, tz));
          expect(o.end.getTime() - o.start.getTime()).toBe(15 * 60_000);
        }
      }
    }
  });

  it.each<[string, Partial<WeeklyRule>]>([
    ['dayOfWeek 7', { dayOfWeek: 7 }],
    ['dayOfWeek -1', { dayOfWeek: -1 }],
    ['startMinute 1440', { startMinute: 1440, endMinute: 1440 }],
    ['endMinute equal to startMinute', { startMinute: 600, endMinute: 600 }],
    ['endMinute before startMinute', { startMinute: 600, endMinute: 540 }],
    ['endMinute past the end of the day', { startMinute: 600, endMinute: 1441 }],
    ['fractional minutes', { startMinute: 600.5 }],
    ['an unknown timezone', { timezone: 'Mars/Olympus' }],
    ['an impossible startDate', { startDate: '2026-02-29' }],
    ['a malformed endDate', { endDate: '2026-3-01' }],
  ])('throws a RangeError for a rule with %s', (_label, overrides) => {
    expect(() => occurrencesBetween(rule(overrides), at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('throws a RangeError for an invalid Date bound', () => {
    expect(() => occurrencesBetween(rule({}), new Date(Number.NaN), at('2026-02-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('expands 10,000 rules over six weeks efficiently (sanity check, not a timing assertion)', () => {
    const zones = [BERLIN, NEW_YORK, SYDNEY, KATHMANDU];
    const from = at('2026-03-01T00:00:00Z');
    const to = at('2026-04-12T00:00:00Z'); // exactly six weeks, across the March changes
    let count = 0;
    for (let i = 0; i < 10_000; i++) {
      const startMinute = (i * 15) % 1380;
      const r = rule({ dayOfWeek: i % 7, startMinute, endMinute: startMinute + 60, timezone: zones[i % 4], startDate: '2026-01-01' });
      count += occurrencesBetween(r, from, to).length;
    }
    expect(count).toBeGreaterThanOrEqual(59_000);
    expect(count).toBeLessThanOrEqual(61_000);
  });
});

describe('expandWeeklyWindows', () => {
  const weekdays9to17 = [MON, TUE, WED, 4, FRI].map((d) => win(d, '09:00', '17:00'));

  it('turns Monday-Friday 09:00-17:00 Berlin into one UTC interval per day', () => {
    expect(windows(weekdays9to17, BERLIN, '2026-01-12T00:00:00Z', '2026-01-19T00:00:00Z')).toEqual([
      ['2026-01-12T08:00:00.000Z', '2026-01-12T16:00:00.000Z'],
      ['2026-01-13T08:00:00.000Z', '2026-01-13T16:00:00.000Z'],
      ['2026-01-14T08:00:00.000Z', '2026-01-14T16:00:00.000Z'],
      ['2026-01-15T08:00:00.000Z', '2026-01-15T16:00:00.000Z'],
      ['2026-01-16T08:00:00.000Z', '2026-01-16T16:00:00.000Z'],
    ]);
  });

  it('keeps wall-clock hours across the spring change (09:00-17:00 becomes 07:00Z-15:00Z)', () => {
    expect(windows(weekdays9to17, BERLIN, '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      ['2026-03-27T08:00:00.000Z', '2026-03-27T16:00:00.000Z'],
      ['2026-03-30T07:00:00.000Z', '2026-03-30T15:00:00.000Z'],
    ]);
  });

  it('clips windows to [from, to) and drops those outside or merely touching it', () => {
    const list = [win(MON, '09:00', '12:00'), win(MON, '13:00', '17:00'), win(TUE, '09:00', '12:00')];
    // Monday 2026-01-12: 08:00Z-11:00Z and 12:00Z-16:00Z; Tuesday 08:00Z-11:00Z.
    expect(windows(list, BERLIN, '2026-01-12T10:00:00Z', '2026-01-12T14:00:00Z')).toEqual([
      ['2026-01-12T10:00:00.000Z', '2026-01-12T11:00:00.000Z'],
      ['2026-01-12T12:00:00.000Z', '2026-01-12T14:00:00.000Z'],
    ]);
    expect(windows(list, BERLIN, '2026-01-12T11:00:00Z', '2026-01-12T12:00:00Z')).toEqual([]);
  });

  it('is wall-clock on both ends on spring-forward day (Sunday 01:00-05:00 lasts 3 hours)', () => {
    expect(windows([win(SUN, '01:00', '05:00')], BERLIN, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      ['2026-03-29T00:00:00.000Z', '2026-03-29T03:00:00.000Z'],
    ]);
  });

  it('is wall-clock on both ends on fall-back day (Sunday 01:00-05:00 lasts 5 hours)', () => {
    expect(windows([win(SUN, '01:00', '05:00')], BERLIN, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      ['2026-10-24T23:00:00.000Z', '2026-10-25T04:00:00.000Z'],
    ]);
  });

  it('applies the gap and fold rules to window ends', () => {
    const spring = { from: '2026-03-28T00:00:00Z', to: '2026-03-30T00:00:00Z' };
    // 02:15-02:45 lies inside the gap: both ends move forward by one hour.
    expect(windows([win(SUN, '02:15', '02:45')], BERLIN, spring.from, spring.to)).toEqual([
      ['2026-03-29T01:15:00.000Z', '2026-03-29T01:45:00.000Z'],
    ]);
    // 02:30-03:00 collapses (03:30 CEST start, 03:00 CEST end): no interval at all.
    expect(windows([win(SUN, '02:30', '03:00')], BERLIN, spring.from, spring.to)).toEqual([]);
    // In the fold both ends take the earlier instant.
    expect(windows([win(SUN, '02:15', '02:45')], BERLIN, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      ['2026-10-25T00:15:00.000Z', '2026-10-25T00:45:00.000Z'],
    ]);
  });

  it('lets a window end at 24:00, which is the next local midnight', () => {
    const list = [win(SUN, '20:00', '24:00'), win(MON, '00:00', '02:00')];
    expect(windows(list, BERLIN, '2026-01-11T00:00:00Z', '2026-01-13T00:00:00Z')).toEqual([
      ['2026-01-11T19:00:00.000Z', '2026-01-11T23:00:00.000Z'],
      ['2026-01-11T23:00:00.000Z', '2026-01-12T01:00:00.000Z'],
    ]);
  });

  it('returns intervals sorted by start whatever the order of the windows, without merging them', () => {
    const list = [win(TUE, '13:00', '15:00'), win(MON, '09:00', '12:00'), win(TUE, '09:00', '14:00')];
    expect(windows(list, 'UTC', '2026-01-12T00:00:00Z', '2026-01-14T00:00:00Z')).toEqual([
      ['2026-01-12T09:00:00.000Z', '2026-01-12T12:00:00.000Z'],
      ['2026-01-13T09:00:00.000Z', '2026-01-13T14:00:00.000Z'],
      ['2026-01-13T13:00:00.000Z', '2026-01-13T15:00:00.000Z'],
    ]);
  });

  it('follows the southern-hemisphere changes (Sydney Sunday 01:00-04:00 on both 2026 change days)', () => {
    // April: 02:00-03:00 repeats, so the window lasts 4 hours; October: 02:00-03:00 is skipped, 2 hours.
    expect(windows([win(SUN, '01:00', '04:00')], SYDNEY, '2026-04-04T00:00:00Z', '2026-04-05T12:00:00Z')).toEqual([
      ['2026-04-04T14:00:00.000Z', '2026-04-04T18:00:00.000Z'],
    ]);
    expect(windows([win(SUN, '01:00', '04:00')], SYDNEY, '2026-10-03T00:00:00Z', '2026-10-04T12:00:00Z')).toEqual([
      ['2026-10-03T15:00:00.000Z', '2026-10-03T17:00:00.000Z'],
    ]);
  });

  it('handles non-hour offsets (Kathmandu +05:45, Lord Howe +10:30/+11)', () => {
    expect(windows([win(MON, '09:00', '17:00')], KATHMANDU, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toEqual([
      ['2026-06-01T03:15:00.000Z', '2026-06-01T11:15:00.000Z'],
    ]);
    // Lord Howe, Sunday 01:00-04:00 on 2026-10-04: the 30-minute gap makes it 2.5 hours.
    expect(windows([win(SUN, '01:00', '04:00')], LORD_HOWE, '2026-10-03T00:00:00Z', '2026-10-04T12:00:00Z')).toEqual([
      ['2026-10-03T14:30:00.000Z', '2026-10-03T17:00:00.000Z'],
    ]);
  });

  it('includes a window whose local day is outside the UTC range but whose time overlaps it', () => {
    // Sydney Monday 08:00-10:00 is Sunday 22:00Z-Monday 00:00Z in June.
    expect(windows([win(MON, '08:00', '10:00')], SYDNEY, '2026-05-31T23:00:00Z', '2026-06-01T06:00:00Z')).toEqual([
      ['2026-05-31T23:00:00.000Z', '2026-06-01T00:00:00.000Z'],
    ]);
  });

  it('is empty with no windows or an empty range', () => {
    expect(windows([], BERLIN, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual([]);
    expect(windows(weekdays9to17, BERLIN, '2026-01-12T10:00:00Z', '2026-01-12T10:00:00Z')).toEqual([]);
  });

  it.each([
    ['dayOfWeek 7', { dayOfWeek: 7, startMinute: 0, endMinute: 60 }],
    ['endMinute not after startMinute', { dayOfWeek: MON, startMinute: 600, endMinute: 600 }],
    ['endMinute past 24:00', { dayOfWeek: MON, startMinute: 600, endMinute: 1441 }],
    ['startMinute 1440', { dayOfWeek: MON, startMinute: 1440, endMinute: 1440 }],
  ])('throws a RangeError for a window with %s', (_label, w) => {
    expect(() => expandWeeklyWindows([w], BERLIN, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('throws a RangeError for an unknown zone', () => {
    expect(() => expandWeeklyWindows(weekdays9to17, 'Mars/Olympus', at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('independence from the process time zone', () => {
  it('gives identical answers while process.env.TZ is changed at run time', () => {
    const compute = () => ({
      occ: occ(rule({ dayOfWeek: SUN }), '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z'),
      fold: zoned('2026-10-25', '02:30', BERLIN),
      date: localDateOf(at('2026-04-04T23:00:00Z'), SYDNEY),
      win: windows([win(SUN, '01:00', '05:00')], NEW_YORK, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'),
    });
    const original = process.env.TZ;
    const baseline = compute();
    try {
      for (const tz of ['UTC', 'America/New_York', 'Australia/Sydney', 'Pacific/Kiritimati', 'America/Santiago']) {
        process.env.TZ = tz;
        expect(compute()).toEqual(baseline);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    expect(baseline.fold).toBe('2026-10-25T00:30:00.000Z');
  });
});
