import ICAL from 'ical.js';
import { fold, renderAttachment, renderFeed, text, type FeedSession } from '../../src/domain/ical-feed';

const base: FeedSession = {
  id: '7b0c2f5e-2d0b-4c59-9a51-0f5f3c1d2e11',
  startTime: new Date('2026-12-01T09:00:00Z'),
  endTime: new Date('2026-12-01T10:00:00Z'),
  status: 'SCHEDULED',
  revision: 3,
  updatedAt: new Date('2026-11-20T08:30:15.123Z'),
  cancellationReason: null,
  room: 'Studio 1',
  coach: 'Zoë Ångström',
  member: 'Max Mustermann',
};

function parse(body: string) {
  return new ICAL.Component(ICAL.parse(body));
}

describe('the iCalendar writer', () => {
  it('writes what a parser reads back: UTC times, UID, SEQUENCE, status, the zone', () => {
    const body = renderFeed({ name: 'Max', role: 'MEMBER', timezone: 'Europe/Berlin' }, [base, { ...base, id: 'b', status: 'CANCELLED', cancellationReason: 'ill' }]);
    expect(body.endsWith('\r\n')).toBe(true);
    expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const calendar = parse(body);
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/Berlin');
    const [first, second] = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(first.uid).toBe(base.id);
    expect(first.sequence).toBe(3);
    expect(first.startDate.toJSDate().toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(first.endDate.toJSDate().toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(first.summary).toBe('Training with Zoë Ångström');
    expect(first.location).toBe('Studio 1');
    expect(first.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(second.summary).toBe('Cancelled: Training with Zoë Ångström');
    expect(second.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(second.description).toContain('Cancelled: ill');
    expect(body).toContain('DTSTAMP:20261120T083015Z');
  });

  it('escapes text and keeps names with separators, backslashes and line breaks intact', () => {
    const nasty = 'A; B, C\\D\nE\r\nF\u0007';
    expect(text(nasty)).toBe('A\\; B\\, C\\\\D\\nE\\nF');
    const body = renderFeed({ name: nasty, role: 'COACH', timezone: 'UTC' }, [{ ...base, member: nasty, room: nasty }]);
    const event = new ICAL.Event(parse(body).getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe('Training: A; B, C\\D\nE\nF');
    expect(event.location).toBe('A; B, C\\D\nE\nF');
    // No injected property: the newline stayed inside the value.
    expect(body.trimEnd().split('\r\n').filter((line) => !/^([A-Z-]+[:;]| )/.test(line))).toEqual([]);
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const long = `SUMMARY:${'é'.repeat(100)}`;
    const folded = fold(long);
    for (const line of folded.split('\r\n')) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const ascii = `DESCRIPTION:${'x'.repeat(300)}`;
    expect(fold(ascii).replace(/\r\n /g, '')).toBe(ascii);
    expect(fold('SHORT:1')).toBe('SHORT:1');
  });
});

describe('the email attachment writer', () => {
  const event = { id: base.id, startTime: base.startTime, endTime: base.endTime, summary: 'Session with Zoë; Ångström, Jr.', location: 'Studio 1\nupstairs', url: 'https://gym.example/sessions/7b0c?x=1&y=2' };

  it('publishes the sessions with the feed UIDs, their times, summary, room and link', () => {
    const body = renderAttachment('Gym, Berlin', [event, { ...event, id: 'b', startTime: new Date('2026-12-08T09:00:00Z'), endTime: new Date('2026-12-08T10:00:00Z') }], new Date('2026-11-30T22:00:05.900Z'));
    expect(body.endsWith('\r\n')).toBe(true);
    expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const calendar = parse(body);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(body).toContain('\r\nX-WR-CALNAME:Gym\\, Berlin\r\n'); // X- properties are TEXT (RFC 5545 3.8.8.2)
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.uid, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()])).toEqual([
      [base.id, '2026-12-01T09:00:00.000Z', '2026-12-01T10:00:00.000Z'],
      ['b', '2026-12-08T09:00:00.000Z', '2026-12-08T10:00:00.000Z'],
    ]);
    expect(events[0].summary).toBe('Session with Zoë; Ångström, Jr.');
    expect(events[0].location).toBe('Studio 1\nupstairs');
    expect(events[0].component.getFirstPropertyValue('url')).toBe('https://gym.example/sessions/7b0c?x=1&y=2');
    expect(body).toContain('DTSTAMP:20261130T220005Z');
  });

  it('keeps a link with whitespace or line breaks from starting a property of its own', () => {
    const body = renderAttachment('Gym', [{ ...event, url: 'https://gym.example/a\r\nATTENDEE:mailto:x@y b' }], new Date());
    expect(body).not.toMatch(/^ATTENDEE/m);
    expect(parse(body).getFirstSubcomponent('vevent')!.getFirstPropertyValue('url')).toBe('https://gym.example/aATTENDEE:mailto:x@yb');
  });
});
