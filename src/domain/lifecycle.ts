/**
 * Session lifecycle: who may do what to a session, and when.
 *
 * Pure rules, no I/O. Instants are compared through `getTime()`, so decisions
 * never depend on the process timezone. Checks run in a fixed order:
 *   1. visibility  -> NOT_FOUND  (a session the actor cannot see gives no hint it exists)
 *   2. permission  -> FORBIDDEN  (members cannot complete or mark no-show)
 *   3. state       -> CONFLICT   (terminal states never change, except attendance corrections)
 *   4. time        -> CONFLICT   (before / after the session's start; corrections within 7 days after its end)
 *
 * Attendance corrections (since 0.2): COMPLETE on a NO_SHOW session and NO_SHOW on a
 * COMPLETED one, by coaches (their own sessions) and owners, until 7 days after the
 * session's end; the nightly sweep completes sessions nobody marked, so the coach marks
 * the no-show the next morning.
 */

export type Role = 'MEMBER' | 'COACH' | 'OWNER';
export type SessionStatus = 'SCHEDULED' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';
export type SessionAction = 'CANCEL' | 'COMPLETE' | 'NO_SHOW' | 'RESCHEDULE';

export const TERMINAL_STATUSES: readonly SessionStatus[] = Object.freeze([
  'COMPLETED',
  'CANCELLED',
  'NO_SHOW',
] as const);

/** How long after a session's end its attendance may still be corrected. */
export const ATTENDANCE_CORRECTION_MS = 7 * 86_400_000;

export interface Actor {
  id: string;
  role: Role;
}

export interface SessionFacts {
  coachId: string;
  memberId: string;
  status: SessionStatus;
  startTime: Date;
  endTime: Date;
}

export type Decision =
  | { allowed: true; to: SessionStatus; correction?: boolean } // RESCHEDULE -> to stays SCHEDULED; correction: COMPLETED <-> NO_SHOW
  | { allowed: false; code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'; message: string };

/** Status each action leads to when allowed. */
const TARGET: Readonly<Record<SessionAction, SessionStatus>> = {
  CANCEL: 'CANCELLED',
  COMPLETE: 'COMPLETED',
  NO_SHOW: 'NO_SHOW',
  RESCHEDULE: 'SCHEDULED',
};

export const MESSAGES = Object.freeze({
  notFound: 'Session not found',
  memberCannotComplete: 'Members cannot mark a session as completed',
  memberCannotNoShow: 'Members cannot mark a session as no-show',
  alreadyTerminal: (status: SessionStatus) => `Session is already ${status}`,
  memberCancelAfterStart: 'Members can only cancel a session before it starts',
  completeBeforeStart: 'Cannot complete a session before it starts',
  noShowBeforeStart: 'Cannot mark a session as no-show before it starts',
  rescheduleAfterStart: 'Cannot reschedule a session that has already started',
  correctionTooLate: "Attendance can be corrected only within 7 days after the session's end",
});

/** The status an attendance correction turns `from` into with `action`, or null when it is no correction. */
function correctionOf(action: SessionAction, from: SessionStatus): SessionStatus | null {
  if (action === 'COMPLETE' && from === 'NO_SHOW') return 'COMPLETED';
  if (action === 'NO_SHOW' && from === 'COMPLETED') return 'NO_SHOW';
  return null;
}

function deny(code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT', message: string): Decision {
  return { allowed: false, code, message };
}

function isTerminal(status: SessionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Can the actor see this session at all? member: own (memberId), coach: own (coachId), owner: all. */
export function canSee(actor: Actor, session: { coachId: string; memberId: string }): boolean {
  switch (actor.role) {
    case 'OWNER':
      return true;
    case 'COACH':
      return session.coachId === actor.id;
    case 'MEMBER':
      return session.memberId === actor.id;
    default:
      return false;
  }
}

/** Who may do what, when. */
export function decide(action: SessionAction, actor: Actor, session: SessionFacts, now: Date): Decision {
  // 1. Visibility.
  if (!canSee(actor, session)) return deny('NOT_FOUND', MESSAGES.notFound);

  // 2. Permission.
  if (actor.role === 'MEMBER') {
    if (action === 'COMPLETE') return deny('FORBIDDEN', MESSAGES.memberCannotComplete);
    if (action === 'NO_SHOW') return deny('FORBIDDEN', MESSAGES.memberCannotNoShow);
  }

  const nowMs = now.getTime();

  // 3. State: nothing leaves a terminal state, except attendance corrections (staff only, see 2.).
  const corrected = correctionOf(action, session.status);
  if (corrected !== null) {
    // 4. Time for a correction; written so that an invalid (NaN) instant denies.
    if (!(nowMs < session.endTime.getTime() + ATTENDANCE_CORRECTION_MS)) return deny('CONFLICT', MESSAGES.correctionTooLate);
    return { allowed: true, to: corrected, correction: true };
  }
  if (isTerminal(session.status)) return deny('CONFLICT', MESSAGES.alreadyTerminal(session.status));

  // 4. Time. Comparisons are written so that an invalid (NaN) instant denies.
  const startMs = session.startTime.getTime();
  const beforeStart = nowMs < startMs;
  const started = nowMs >= startMs;

  switch (action) {
    case 'CANCEL':
      if (actor.role === 'MEMBER' && !beforeStart) return deny('CONFLICT', MESSAGES.memberCancelAfterStart);
      break;
    case 'COMPLETE':
      if (!started) return deny('CONFLICT', MESSAGES.completeBeforeStart);
      break;
    case 'NO_SHOW':
      if (!started) return deny('CONFLICT', MESSAGES.noShowBeforeStart);
      break;
    case 'RESCHEDULE':
      if (!beforeStart) return deny('CONFLICT', MESSAGES.rescheduleAfterStart);
      break;
    default: {
      const unknown: never = action;
      return deny('FORBIDDEN', `Unknown action ${String(unknown)}`);
    }
  }
  return { allowed: true, to: TARGET[action] };
}
