import {
  ATTENDANCE_CORRECTION_MS,
  MESSAGES,
  TERMINAL_STATUSES,
  canSee,
  decide,
  type Actor,
  type Decision,
  type Role,
  type SessionAction,
  type SessionFacts,
  type SessionStatus,
} from '../../src/domain/lifecycle.js';

// Instants come from fixed UTC values, so nothing depends on process.env.TZ.
// The session runs 10:00-11:00Z on Sunday 2025-03-09, the day US clocks spring forward.
const START = new Date('2025-03-09T10:00:00.000Z');
const END = new Date('2025-03-09T11:00:00.000Z');
const at = (offsetMs: number): Date => new Date(START.getTime() + offsetMs);
const MINUTE = 60_000;

const MEMBER_ID = 'member-1';
const COACH_ID = 'coach-1';
const ACTORS: Record<Role, Actor> = {
  MEMBER: { id: MEMBER_ID, role: 'MEMBER' },
  COACH: { id: COACH_ID, role: 'COACH' },
  OWNER: { id: 'owner-1', role: 'OWNER' },
};
const session = (status: SessionStatus = 'SCHEDULED'): SessionFacts => ({
  coachId: COACH_ID,
  memberId: MEMBER_ID,
  status,
  startTime: START,
  endTime: END,
});

type Timing = 'before start' | 'after start';
const NOW: Record<Timing, Date> = {
  'before start': at(-60 * MINUTE),
  'after start': at(30 * MINUTE),
};

/** A decision in one word: '-> STATUS' when allowed, else the error code. */
type Outcome = `-> ${SessionStatus}` | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';
const outcome = (d: Decision): Outcome => (d.allowed ? `-> ${d.to}` : d.code);
const messageOf = (d: Decision): string => (d.allowed ? '' : d.message);

const ROLES: Role[] = ['MEMBER', 'COACH', 'OWNER'];
const ACTIONS: SessionAction[] = ['CANCEL', 'COMPLETE', 'NO_SHOW', 'RESCHEDULE'];
const STATUSES: SessionStatus[] = ['SCHEDULED', 'COMPLETED', 'CANCELLED', 'NO_SHOW'];
const TIMINGS: Timing[] = ['before start', 'after start'];

describe('decide: every action x role x status x time, on a session the actor can see', () => {
  // The member is the session's member, the coach its coach; the owner sees everything.
  const table: Array<[SessionAction, Role, SessionStatus, Timing, Outcome]> = [
    // MEMBER
    ['CANCEL',     'MEMBER', 'SCHEDULED',  'before start', '-> CANCELLED'],
    ['CANCEL',     'MEMBER', 'SCHEDULED',  'after start',  'CONFLICT'],
    ['CANCEL',     'MEMBER', 'COMPLETED',  'before start', 'CONFLICT'],
    ['CANCEL',     'MEMBER', 'COMPLETED',  'after start',  'CONFLICT'],
    ['CANCEL',     'MEMBER', 'CANCELLED',  'before start', 'CONFLICT'],
    ['CANCEL',     'MEMBER', 'CANCELLED',  'after start',  'CONFLICT'],
    ['CANCEL',     'MEMBER', 'NO_SHOW',    'before start', 'CONFLICT'],
    ['CANCEL',     'MEMBER', 'NO_SHOW',    'after start',  'CONFLICT'],
    ['COMPLETE',   'MEMBER', 'SCHEDULED',  'before start', 'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'SCHEDULED',  'after start',  'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'COMPLETED',  'before start', 'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'COMPLETED',  'after start',  'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'CANCELLED',  'before start', 'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'CANCELLED',  'after start',  'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'NO_SHOW',    'before start', 'FORBIDDEN'],
    ['COMPLETE',   'MEMBER', 'NO_SHOW',    'after start',  'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'SCHEDULED',  'before start', 'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'SCHEDULED',  'after start',  'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'COMPLETED',  'before start', 'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'COMPLETED',  'after start',  'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'CANCELLED',  'before start', 'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'CANCELLED',  'after start',  'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'NO_SHOW',    'before start', 'FORBIDDEN'],
    ['NO_SHOW',    'MEMBER', 'NO_SHOW',    'after start',  'FORBIDDEN'],
    ['RESCHEDULE', 'MEMBER', 'SCHEDULED',  'before start', '-> SCHEDULED'],
    ['RESCHEDULE', 'MEMBER', 'SCHEDULED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'MEMBER', 'COMPLETED',  'before start', 'CONFLICT'],
    ['RESCHEDULE', 'MEMBER', 'COMPLETED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'MEMBER', 'CANCELLED',  'before start', 'CONFLICT'],
    ['RESCHEDULE', 'MEMBER', 'CANCELLED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'MEMBER', 'NO_SHOW',    'before start', 'CONFLICT'],
    ['RESCHEDULE', 'MEMBER', 'NO_SHOW',    'after start',  'CONFLICT'],
    // COACH
    ['CANCEL',     'COACH',  'SCHEDULED',  'before start', '-> CANCELLED'],
    ['CANCEL',     'COACH',  'SCHEDULED',  'after start',  '-> CANCELLED'],
    ['CANCEL',     'COACH',  'COMPLETED',  'before start', 'CONFLICT'],
    ['CANCEL',     'COACH',  'COMPLETED',  'after start',  'CONFLICT'],
    ['CANCEL',     'COACH',  'CANCELLED',  'before start', 'CONFLICT'],
    ['CANCEL',     'COACH',  'CANCELLED',  'after start',  'CONFLICT'],
    ['CANCEL',     'COACH',  'NO_SHOW',    'before start', 'CONFLICT'],
    ['CANCEL',     'COACH',  'NO_SHOW',    'after start',  'CONFLICT'],
    ['COMPLETE',   'COACH',  'SCHEDULED',  'before start', 'CONFLICT'],
    ['COMPLETE',   'COACH',  'SCHEDULED',  'after start',  '-> COMPLETED'],
    ['COMPLETE',   'COACH',  'COMPLETED',  'before start', 'CONFLICT'],
    ['COMPLETE',   'COACH',  'COMPLETED',  'after start',  'CONFLICT'],
    ['COMPLETE',   'COACH',  'CANCELLED',  'before start', 'CONFLICT'],
    ['COMPLETE',   'COACH',  'CANCELLED',  'after start',  'CONFLICT'],
    ['COMPLETE',   'COACH',  'NO_SHOW',    'before start', '-> COMPLETED'], // attendance correction
    ['COMPLETE',   'COACH',  'NO_SHOW',    'after start',  '-> COMPLETED'], // attendance correction
    ['NO_SHOW',    'COACH',  'SCHEDULED',  'before start', 'CONFLICT'],
    ['NO_SHOW',    'COACH',  'SCHEDULED',  'after start',  '-> NO_SHOW'],
    ['NO_SHOW',    'COACH',  'COMPLETED',  'before start', '-> NO_SHOW'], // attendance correction
    ['NO_SHOW',    'COACH',  'COMPLETED',  'after start',  '-> NO_SHOW'], // attendance correction
    ['NO_SHOW',    'COACH',  'CANCELLED',  'before start', 'CONFLICT'],
    ['NO_SHOW',    'COACH',  'CANCELLED',  'after start',  'CONFLICT'],
    ['NO_SHOW',    'COACH',  'NO_SHOW',    'before start', 'CONFLICT'],
    ['NO_SHOW',    'COACH',  'NO_SHOW',    'after start',  'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'SCHEDULED',  'before start', '-> SCHEDULED'],
    ['RESCHEDULE', 'COACH',  'SCHEDULED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'COMPLETED',  'before start', 'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'COMPLETED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'CANCELLED',  'before start', 'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'CANCELLED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'NO_SHOW',    'before start', 'CONFLICT'],
    ['RESCHEDULE', 'COACH',  'NO_SHOW',    'after start',  'CONFLICT'],
    // OWNER
    ['CANCEL',     'OWNER',  'SCHEDULED',  'before start', '-> CANCELLED'],
    ['CANCEL',     'OWNER',  'SCHEDULED',  'after start',  '-> CANCELLED'],
    ['CANCEL',     'OWNER',  'COMPLETED',  'before start', 'CONFLICT'],
    ['CANCEL',     'OWNER',  'COMPLETED',  'after start',  'CONFLICT'],
    ['CANCEL',     'OWNER',  'CANCELLED',  'before start', 'CONFLICT'],
    ['CANCEL',     'OWNER',  'CANCELLED',  'after start',  'CONFLICT'],
    ['CANCEL',     'OWNER',  'NO_SHOW',    'before start', 'CONFLICT'],
    ['CANCEL',     'OWNER',  'NO_SHOW',    'after start',  'CONFLICT'],
    ['COMPLETE',   'OWNER',  'SCHEDULED',  'before start', 'CONFLICT'],
    ['COMPLETE',   'OWNER',  'SCHEDULED',  'after start',  '-> COMPLETED'],
    ['COMPLETE',   'OWNER',  'COMPLETED',  'before start', 'CONFLICT'],
    ['COMPLETE',   'OWNER',  'COMPLETED',  'after start',  'CONFLICT'],
    ['COMPLETE',   'OWNER',  'CANCELLED',  'before start', 'CONFLICT'],
    ['COMPLETE',   'OWNER',  'CANCELLED',  'after start',  'CONFLICT'],
    ['COMPLETE',   'OWNER',  'NO_SHOW',    'before start', '-> COMPLETED'], // attendance correction
    ['COMPLETE',   'OWNER',  'NO_SHOW',    'after start',  '-> COMPLETED'], // attendance correction
    ['NO_SHOW',    'OWNER',  'SCHEDULED',  'before start', 'CONFLICT'],
    ['NO_SHOW',    'OWNER',  'SCHEDULED',  'after start',  '-> NO_SHOW'],
    ['NO_SHOW',    'OWNER',  'COMPLETED',  'before start', '-> NO_SHOW'], // attendance correction
    ['NO_SHOW',    'OWNER',  'COMPLETED',  'after start',  '-> NO_SHOW'], // attendance correction
    ['NO_SHOW',    'OWNER',  'CANCELLED',  'before start', 'CONFLICT'],
    ['NO_SHOW',    'OWNER',  'CANCELLED',  'after start',  'CONFLICT'],
    ['NO_SHOW',    'OWNER',  'NO_SHOW',    'before start', 'CONFLICT'],
    ['NO_SHOW',    'OWNER',  'NO_SHOW',    'after start',  'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'SCHEDULED',  'before start', '-> SCHEDULED'],
    ['RESCHEDULE', 'OWNER',  'SCHEDULED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'COMPLETED',  'before start', 'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'COMPLETED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'CANCELLED',  'before start', 'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'CANCELLED',  'after start',  'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'NO_SHOW',    'before start', 'CONFLICT'],
    ['RESCHEDULE', 'OWNER',  'NO_SHOW',    'after start',  'CONFLICT'],
  ];

  it('lists every combination exactly once', () => {
    const keys = table.map(([a, r, s, t]) => `${a}/${r}/${s}/${t}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(ACTIONS.length * ROLES.length * STATUSES.length * TIMINGS.length);
  });

  it.each(table)('%s by a %s on a %s session %s: %s', (action, role, status, timing, expected) => {
    expect(outcome(decide(action, ACTORS[role], session(status), NOW[timing]))).toBe(expected);
  });
});

describe('decide: the moment of the start', () => {
  it('counts the exact start instant as started (half-open: the session runs from its start)', () => {
    expect(outcome(decide('COMPLETE', ACTORS.COACH, session(), START))).toBe('-> COMPLETED');
    expect(outcome(decide('NO_SHOW', ACTORS.COACH, session(), START))).toBe('-> NO_SHOW');
    expect(outcome(decide('CANCEL', ACTORS.MEMBER, session(), START))).toBe('CONFLICT');
    expect(outcome(decide('RESCHEDULE', ACTORS.MEMBER, session(), START))).toBe('CONFLICT');
    expect(outcome(decide('RESCHEDULE', ACTORS.OWNER, session(), START))).toBe('CONFLICT');
  });

  it('counts one millisecond before the start as not started', () => {
    const now = at(-1);
    expect(outcome(decide('CANCEL', ACTORS.MEMBER, session(), now))).toBe('-> CANCELLED');
    expect(outcome(decide('RESCHEDULE', ACTORS.MEMBER, session(), now))).toBe('-> SCHEDULED');
    expect(outcome(decide('COMPLETE', ACTORS.COACH, session(), now))).toBe('CONFLICT');
    expect(outcome(decide('NO_SHOW', ACTORS.OWNER, session(), now))).toBe('CONFLICT');
  });

  it('treats a session that has already ended like one that has started', () => {
    const now = new Date(END.getTime() + 24 * 60 * MINUTE);
    expect(outcome(decide('COMPLETE', ACTORS.COACH, session(), now))).toBe('-> COMPLETED');
    expect(outcome(decide('NO_SHOW', ACTORS.OWNER, session(), now))).toBe('-> NO_SHOW');
    expect(outcome(decide('CANCEL', ACTORS.COACH, session(), now))).toBe('-> CANCELLED');
    expect(outcome(decide('CANCEL', ACTORS.MEMBER, session(), now))).toBe('CONFLICT');
    expect(outcome(decide('RESCHEDULE', ACTORS.COACH, session(), now))).toBe('CONFLICT');
  });

  it('denies time-dependent actions when "now" is an invalid date', () => {
    const now = new Date(Number.NaN);
    expect(outcome(decide('CANCEL', ACTORS.MEMBER, session(), now))).toBe('CONFLICT');
    expect(outcome(decide('RESCHEDULE', ACTORS.MEMBER, session(), now))).toBe('CONFLICT');
    expect(outcome(decide('COMPLETE', ACTORS.COACH, session(), now))).toBe('CONFLICT');
    expect(outcome(decide('NO_SHOW', ACTORS.COACH, session(), now))).toBe('CONFLICT');
  });
});

describe('decide: sessions the actor cannot see', () => {
  const otherMember: Actor = { id: 'member-2', role: 'MEMBER' };
  const otherCoach: Actor = { id: 'coach-2', role: 'COACH' };
  const cases = ACTIONS.flatMap((action) =>
    STATUSES.flatMap((status) =>
      TIMINGS.flatMap((timing) => [
        [action, 'another member', otherMember, status, timing] as const,
        [action, 'another coach', otherCoach, status, timing] as const,
      ]),
    ),
  );

  it.each(cases)('%s by %s on a %s session %s is NOT_FOUND', (action, _who, actor, status, timing) => {
    const d = decide(action, actor, session(status), NOW[timing]);
    expect(d).toEqual({ allowed: false, code: 'NOT_FOUND', message: MESSAGES.notFound });
  });

  it('gives the same answer whether or not the session exists in some state, so nothing leaks', () => {
    const messages = new Set(cases.map(([a, , actor, s, t]) => messageOf(decide(a, actor, session(s), NOW[t]))));
    expect([...messages]).toEqual(['Session not found']);
  });

  it('does not let a coach act on a session where the coach id appears only as the member', () => {
    const facts: SessionFacts = { ...session(), coachId: 'coach-2', memberId: COACH_ID };
    expect(outcome(decide('CANCEL', ACTORS.COACH, facts, NOW['before start']))).toBe('NOT_FOUND');
  });

  it('does not let a member act on a session where the member id appears only as the coach', () => {
    const facts: SessionFacts = { ...session(), coachId: MEMBER_ID, memberId: 'member-2' };
    expect(outcome(decide('CANCEL', ACTORS.MEMBER, facts, NOW['before start']))).toBe('NOT_FOUND');
  });
});

describe('decide: precedence is visibility, then permission, then state and time', () => {
  it('answers NOT_FOUND, not FORBIDDEN, when a member tries to complete someone else\'s session', () => {
    const stranger: Actor = { id: 'member-2', role: 'MEMBER' };
    expect(outcome(decide('COMPLETE', stranger, session(), NOW['after start']))).toBe('NOT_FOUND');
  });

  it('answers FORBIDDEN, not CONFLICT, when a member tries to complete a session before it starts', () => {
    expect(outcome(decide('COMPLETE', ACTORS.MEMBER, session(), NOW['before start']))).toBe('FORBIDDEN');
  });

  it('answers FORBIDDEN, not CONFLICT, when a member tries to mark a finished session as no-show', () => {
    expect(outcome(decide('NO_SHOW', ACTORS.MEMBER, session('COMPLETED'), NOW['after start']))).toBe('FORBIDDEN');
  });

  it('reports the terminal state before the timing when both would refuse', () => {
    const d = decide('CANCEL', ACTORS.MEMBER, session('NO_SHOW'), NOW['after start']);
    expect(d).toEqual({ allowed: false, code: 'CONFLICT', message: 'Session is already NO_SHOW' });
  });
});

describe('decide: messages', () => {
  const corrections = new Set(['COMPLETED/NO_SHOW', 'NO_SHOW/COMPLETE']);
  it.each(TERMINAL_STATUSES.flatMap((status) => ACTIONS.filter((action) => !corrections.has(`${status}/${action}`)).map((action) => [status, action] as const)))(
    'says "Session is already %s" when a coach tries %s on it',
    (status, action) => {
      expect(messageOf(decide(action, ACTORS.COACH, session(status), NOW['after start']))).toBe(
        `Session is already ${status}`,
      );
    },
  );

  it('tells a member they can only cancel before the start', () => {
    expect(messageOf(decide('CANCEL', ACTORS.MEMBER, session(), NOW['after start']))).toBe(
      'Members can only cancel a session before it starts',
    );
  });

  it('says a session cannot be completed before it starts', () => {
    expect(messageOf(decide('COMPLETE', ACTORS.COACH, session(), NOW['before start']))).toMatch(
      /cannot complete a session before it starts/i,
    );
  });

  it('says a session cannot be marked no-show before it starts', () => {
    expect(messageOf(decide('NO_SHOW', ACTORS.OWNER, session(), NOW['before start']))).toMatch(/no-show before it starts/);
  });

  it('says a started session cannot be rescheduled', () => {
    expect(messageOf(decide('RESCHEDULE', ACTORS.MEMBER, session(), NOW['after start']))).toMatch(/already started/);
  });

  it('explains why a member may not complete or mark no-show', () => {
    expect(messageOf(decide('COMPLETE', ACTORS.MEMBER, session(), NOW['after start']))).toMatch(/^Members cannot/);
    expect(messageOf(decide('NO_SHOW', ACTORS.MEMBER, session(), NOW['after start']))).toMatch(/^Members cannot/);
  });

  it('returns exactly { allowed: true, to } when allowed', () => {
    expect(decide('RESCHEDULE', ACTORS.OWNER, session(), NOW['before start'])).toEqual({ allowed: true, to: 'SCHEDULED' });
  });
});

describe('decide: attendance corrections (COMPLETED <-> NO_SHOW)', () => {
  const lastMoment = new Date(END.getTime() + ATTENDANCE_CORRECTION_MS - 1);
  const tooLate = new Date(END.getTime() + ATTENDANCE_CORRECTION_MS);

  it('lets coaches and owners correct until 7 days (7 x 24 hours) after the end, and not from then on', () => {
    for (const role of ['COACH', 'OWNER'] as const) {
      expect(decide('NO_SHOW', ACTORS[role], session('COMPLETED'), lastMoment)).toEqual({ allowed: true, to: 'NO_SHOW', correction: true });
      expect(decide('COMPLETE', ACTORS[role], session('NO_SHOW'), lastMoment)).toEqual({ allowed: true, to: 'COMPLETED', correction: true });
      expect(decide('NO_SHOW', ACTORS[role], session('COMPLETED'), tooLate)).toEqual({ allowed: false, code: 'CONFLICT', message: MESSAGES.correctionTooLate });
      expect(decide('COMPLETE', ACTORS[role], session('NO_SHOW'), tooLate)).toMatchObject({ allowed: false, code: 'CONFLICT' });
    }
  });

  it('measures the week from the end, so a long session keeps its full week', () => {
    const long = { ...session('COMPLETED'), endTime: new Date(END.getTime() + 8 * 3_600_000) };
    expect(outcome(decide('NO_SHOW', ACTORS.COACH, long, new Date(tooLate.getTime() + 3_600_000)))).toBe('-> NO_SHOW');
  });

  it('refuses members (FORBIDDEN) and other coaches (NOT_FOUND) even inside the window', () => {
    expect(outcome(decide('NO_SHOW', ACTORS.MEMBER, session('COMPLETED'), lastMoment))).toBe('FORBIDDEN');
    expect(outcome(decide('NO_SHOW', { id: 'coach-2', role: 'COACH' }, session('COMPLETED'), lastMoment))).toBe('NOT_FOUND');
  });

  it('corrects nothing else: a cancelled session stays cancelled, and marking the same status again is a CONFLICT', () => {
    expect(outcome(decide('COMPLETE', ACTORS.OWNER, session('CANCELLED'), NOW['after start']))).toBe('CONFLICT');
    expect(outcome(decide('NO_SHOW', ACTORS.OWNER, session('CANCELLED'), NOW['after start']))).toBe('CONFLICT');
    expect(messageOf(decide('COMPLETE', ACTORS.OWNER, session('COMPLETED'), NOW['after start']))).toBe(MESSAGES.alreadyTerminal('COMPLETED'));
    expect(messageOf(decide('CANCEL', ACTORS.OWNER, session('NO_SHOW'), NOW['after start']))).toBe(MESSAGES.alreadyTerminal('NO_SHOW'));
  });

  it('denies a correction when "now" is an invalid date', () => {
    expect(outcome(decide('NO_SHOW', ACTORS.OWNER, session('COMPLETED'), new Date(Number.NaN)))).toBe('CONFLICT');
  });
});

describe('decide: it is pure', () => {
  it('does not change the session facts or the clock it is given', () => {
    const facts = session();
    const now = NOW['after start'];
    const snapshot = JSON.stringify({ facts, now });
    decide('COMPLETE', ACTORS.COACH, facts, now);
    expect(JSON.stringify({ facts, now })).toBe(snapshot);
  });
});

describe('TERMINAL_STATUSES', () => {
  it('holds COMPLETED, CANCELLED and NO_SHOW, and not SCHEDULED', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['CANCELLED', 'COMPLETED', 'NO_SHOW']);
    expect(TERMINAL_STATUSES).not.toContain('SCHEDULED');
  });

  it('cannot be modified at run time', () => {
    expect(Object.isFrozen(TERMINAL_STATUSES)).toBe(true);
  });
});

describe('canSee', () => {
  const facts = { coachId: COACH_ID, memberId: MEMBER_ID };

  it('lets a member see their own session', () => {
    expect(canSee(ACTORS.MEMBER, facts)).toBe(true);
  });

  it('hides a session from another member', () => {
    expect(canSee({ id: 'member-2', role: 'MEMBER' }, facts)).toBe(false);
  });

  it('lets a coach see a session they coach', () => {
    expect(canSee(ACTORS.COACH, facts)).toBe(true);
  });

  it('hides a session from another coach', () => {
    expect(canSee({ id: 'coach-2', role: 'COACH' }, facts)).toBe(false);
  });

  it('lets an owner see any session', () => {
    expect(canSee(ACTORS.OWNER, facts)).toBe(true);
    expect(canSee(ACTORS.OWNER, { coachId: 'coach-9', memberId: 'member-9' })).toBe(true);
  });

  it('matches a member by memberId only, not by coachId', () => {
    expect(canSee(ACTORS.MEMBER, { coachId: MEMBER_ID, memberId: 'member-2' })).toBe(false);
  });

  it('matches a coach by coachId only, not by memberId', () => {
    expect(canSee(ACTORS.COACH, { coachId: 'coach-2', memberId: COACH_ID })).toBe(false);
  });

  it('compares ids exactly (case-sensitive, no trimming)', () => {
    expect(canSee({ id: 'MEMBER-1', role: 'MEMBER' }, facts)).toBe(false);
    expect(canSee({ id: 'member-1 ', role: 'MEMBER' }, facts)).toBe(false);
  });
});
