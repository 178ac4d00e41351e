import type { Content } from './layout';
import { span, weekdayAndTime, when } from './format';

/**
 * Every notification's words, one function per kind. Times are written in `zone`, the
 * recipient's; names are plain text here and escaped by the layout.
 */

export interface SessionFacts {
  id: string;
  startTime: Date;
  endTime: Date;
  coachName: string;
  memberName: string;
  roomName: string;
}

export interface Links {
  session(id: string): string;
  series(id: string): string;
}

/** Whose side the recipient is on: the words name the other party. */
export type Side = 'MEMBER' | 'COACH' | 'OWNER';

const withWhom = (side: Side, s: { coachName: string; memberName: string }) =>
  side === 'COACH' ? `with ${s.memberName}` : side === 'MEMBER' ? `with ${s.coachName}` : `of ${s.memberName} with ${s.coachName}`;

const byWhom = (actorName: string | null) => (actorName ? ` by ${actorName}` : '');

export function seriesConfirmed(p: { side: Side; zone: string; seriesId: string; coachName: string; memberName: string; sessions: SessionFacts[]; links: Links }): Content {
  const first = p.sessions[0];
  const pattern = first ? `${weekdayAndTime(first.startTime, p.zone)} ${withWhom(p.side, p)}` : `A weekly session ${withWhom(p.side, p)}`;
  return {
    title: 'Weekly booking confirmed',
    body: first ? `${pattern}, starting ${when(first.startTime, p.zone)}.` : `${pattern}.`,
    paragraphs: [
      `Your weekly booking is confirmed: ${pattern}.`,
      p.sessions.length > 0
        ? `These sessions are booked so far (times in ${p.zone}); the next ones follow week by week. The attached calendar file adds them to your calendar.`
        : 'No session could be booked yet in the coming weeks; you will hear from us when one is skipped.',
    ],
    items: p.sessions.map((s) => `${span(s.startTime, s.endTime, p.zone)}, ${s.roomName}`),
    link: { label: 'See the booking', url: p.links.series(p.seriesId) },
  };
}

export function sessionBooked(p: { side: Side; zone: string; session: SessionFacts; links: Links }): Content {
  const s = p.session;
  return {
    title: 'Session booked',
    body: `${when(s.startTime, p.zone)} ${withWhom(p.side, s)} in ${s.roomName}.`,
    paragraphs: [`A session ${withWhom(p.side, s)} is booked:`, 'The attached calendar file adds it to your calendar.'],
    items: [`${span(s.startTime, s.endTime, p.zone)}, ${s.roomName}`],
    link: { label: 'See the session', url: p.links.session(s.id) },
  };
}

function leadText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'tomorrow at this time' : `in ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'in an hour' : `in ${minutes / 60} hours`;
  return `in ${minutes} minutes`;
}

export function sessionReminder(p: { side: Side; zone: string; session: SessionFacts; leadMinutes: number; links: Links }): Content {
  const s = p.session;
  return {
    title: 'Reminder: upcoming session',
    body: `${when(s.startTime, p.zone)} ${withWhom(p.side, s)} in ${s.roomName}.`,
    paragraphs: [`Your session ${withWhom(p.side, s)} starts ${leadText(p.leadMinutes)}:`],
    items: [`${span(s.startTime, s.endTime, p.zone)}, ${s.roomName}`],
    link: { label: 'See or cancel the session', url: p.links.session(s.id) },
  };
}

export function sessionCancelled(p: { side: Side; zone: string; session: SessionFacts; actorName: string | null; reason: string | null; links: Links }): Content {
  const s = p.session;
  const reason = p.reason === 'COACH_UNAVAILABLE' ? 'The coach is not available at that time.' : p.reason ? `Reason: ${p.reason}` : null;
  return {
    title: 'Session cancelled',
    body: `${when(s.startTime, p.zone)} ${withWhom(p.side, s)} was cancelled${byWhom(p.actorName)}.`,
    paragraphs: [`This session ${withWhom(p.side, s)} was cancelled${byWhom(p.actorName)}:`],
    items: [`${span(s.startTime, s.endTime, p.zone)}, ${s.roomName}`, ...(reason ? [reason] : [])],
    link: { label: 'See your sessions', url: p.links.session(s.id) },
  };
}

export function sessionRescheduled(p: { side: Side; zone: string; session: SessionFacts; previousStart: Date; previousEnd: Date; actorName: string | null; links: Links }): Content {
  const s = p.session;
  return {
    title: 'Session moved',
    body: `Your session ${withWhom(p.side, s)} moved from ${when(p.previousStart, p.zone)} to ${when(s.startTime, p.zone)}.`,
    paragraphs: [`Your session ${withWhom(p.side, s)} was moved${byWhom(p.actorName)}.`],
    items: [`Before: ${span(p.previousStart, p.previousEnd, p.zone)}`, `Now: ${span(s.startTime, s.endTime, p.zone)}, ${s.roomName}`],
    link: { label: 'See the session', url: p.links.session(s.id) },
  };
}

export function seriesCancelled(p: { side: Side; zone: string; seriesId: string; coachName: string; memberName: string; cancelled: SessionFacts[]; actorName: string | null; links: Links }): Content {
  return {
    title: 'Weekly booking cancelled',
    body: `The weekly booking ${withWhom(p.side, p)} was cancelled${byWhom(p.actorName)}; ${p.cancelled.length} upcoming session${p.cancelled.length === 1 ? '' : 's'} cancelled.`,
    paragraphs: [
      `The weekly booking ${withWhom(p.side, p)} was cancelled${byWhom(p.actorName)}.`,
      p.cancelled.length > 0 ? `These sessions are cancelled (times in ${p.zone}):` : 'No upcoming session was left to cancel.',
    ],
    items: p.cancelled.map((s) => span(s.startTime, s.endTime, p.zone)),
    link: { label: 'See the booking', url: p.links.series(p.seriesId) },
  };
}

/** Template for the series-management issue (no trigger yet). */
export function seriesChanged(p: { side: Side; zone: string; seriesId: string; coachName: string; memberName: string; summary: string; sessions: SessionFacts[]; links: Links }): Content {
  return {
    title: 'Weekly booking changed',
    body: `The weekly booking ${withWhom(p.side, p)} changed: ${p.summary}`,
    paragraphs: [`The weekly booking ${withWhom(p.side, p)} changed: ${p.summary}`, `The sessions now booked (times in ${p.zone}):`],
    items: p.sessions.map((s) => `${span(s.startTime, s.endTime, p.zone)}, ${s.roomName}`),
    link: { label: 'See the booking', url: p.links.series(p.seriesId) },
  };
}

export function occurrenceSkipped(p: { zone: string; seriesId: string; start: Date; end: Date; coachName: string; reason: 'BLOCKED' | 'CONFLICT'; links: Links }): Content {
  const why = p.reason === 'BLOCKED' ? `${p.coachName} is not available then` : 'it clashes with another session (yours, the coach\'s, or the room is full)';
  return {
    title: 'A weekly session was skipped',
    body: `${when(p.start, p.zone)} with ${p.coachName} could not be booked: ${why}.`,
    paragraphs: [`One session of your weekly booking with ${p.coachName} could not be booked because ${why}:`, 'The rest of the series is unchanged.'],
    items: [span(p.start, p.end, p.zone)],
    link: { label: 'See the booking', url: p.links.series(p.seriesId) },
  };
}

export function generationFailed(p: { zone: string; runId: string; at: Date; error: string }): Content {
  return {
    title: 'Session generation failed',
    body: `The generation run of ${when(p.at, p.zone)} failed; nothing was generated. The next run retries.`,
    paragraphs: [
      `The session generation run of ${when(p.at, p.zone)} (${p.zone}) failed and was rolled back; the next run does its work.`,
      `Run ${p.runId}: ${p.error}`,
    ],
  };
}

export function chargeCreated(p: { description: string; amount: string; paidWithCredit: boolean; sessionId: string | null; links: Links }): Content {
  const what = p.paidWithCredit ? `${p.description} (paid with one credit of your pack).` : `${p.description}: ${p.amount}.`;
  return {
    title: 'New charge on your account',
    body: what,
    paragraphs: ['A new line was added to your account:', what],
    ...(p.sessionId ? { link: { label: 'See the session', url: p.links.session(p.sessionId) } } : {}),
  };
}
