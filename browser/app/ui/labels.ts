import type { EnrollmentStatus, SessionStatus } from '../generated/graphql';

export const SESSION_STATUS: Record<SessionStatus, string> = { SCHEDULED: 'Booked', COMPLETED: 'Attended', NO_SHOW: 'No-show', CANCELLED: 'Cancelled' };

export const ENROLLMENT_STATUS: Record<EnrollmentStatus, string> = {
  BOOKED: 'Booked', WAITLISTED: 'On the waitlist', OFFERED: 'Offered a place', CANCELLED: 'Cancelled',
  LATE_CANCELLED: 'Cancelled late', ATTENDED: 'Attended', NO_SHOW: 'No-show', EXPIRED: 'Expired',
};

/** Reasons the server records as codes, in words; anything else is a person's own text. */
const REASONS: Record<string, string> = {
  COACH_UNAVAILABLE: 'the coach is not available then',
  PAUSED: 'the series is paused then',
  SERIES_CHANGED: 'the series was changed',
  SERIES_CANCELLED: 'the series was cancelled',
};

/** A session's or class's status, with the reason when it was cancelled: "Cancelled: the coach is not available then". */
export function statusText(status: SessionStatus, reason: string | null | undefined): string {
  return status === 'CANCELLED' && reason ? `Cancelled: ${REASONS[reason] ?? reason}` : SESSION_STATUS[status];
}
