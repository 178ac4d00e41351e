import type { EnrollmentStatus, SessionStatus } from '../generated/graphql';

export const SESSION_STATUS: Record<SessionStatus, string> = { SCHEDULED: 'Booked', COMPLETED: 'Attended', NO_SHOW: 'No-show', CANCELLED: 'Cancelled' };

export const ENROLLMENT_STATUS: Record<EnrollmentStatus, string> = {
  BOOKED: 'Booked', WAITLISTED: 'On the waitlist', OFFERED: 'Offered a place', CANCELLED: 'Cancelled',
  LATE_CANCELLED: 'Cancelled late', ATTENDED: 'Attended', NO_SHOW: 'No-show', EXPIRED: 'Expired',
};
