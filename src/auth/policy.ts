import type { Role } from '../domain/lifecycle';

/**
 * Who may call what: every Query, Mutation and Subscription field, by role.
 * 'all'  - allowed for any record the operation addresses.
 * 'own'  - allowed, but the service narrows it to the caller's own records
 *          (a member's bookings and sessions, a coach's schedule); others are NOT_FOUND.
 * A role missing from a row is denied (FORBIDDEN); a field missing from the table
 * cannot be decorated (rolesFor throws at start-up) and fails the policy test.
 * ANONYMOUS: callers without a token may call it too (signing in); only where the
 * contract says "Anonymous".
 */
export type Access = 'all' | 'own';
export type Caller = Role | 'ANONYMOUS';
export type Policy = Readonly<Partial<Record<Caller, Access>>>;

const anyone: Policy = { MEMBER: 'all', COACH: 'all', OWNER: 'all' };
const everyone: Policy = { ANONYMOUS: 'all', MEMBER: 'all', COACH: 'all', OWNER: 'all' };
const ownerOnly: Policy = { OWNER: 'all' };
const coachOwnOrOwner: Policy = { COACH: 'own', OWNER: 'all' };
/** A member's own billing records; owners anyone's; coaches none. */
const memberOwnOrOwner: Policy = { MEMBER: 'own', OWNER: 'all' };
const partiesOrOwner: Policy = { MEMBER: 'own', COACH: 'own', OWNER: 'all' };
/** Everyone, on their own records only (owners too: nobody reads another person's notifications). */
const everyoneOwn: Policy = { MEMBER: 'own', COACH: 'own', OWNER: 'own' };

export const POLICY: Readonly<Record<string, Policy>> = {
  'Query.me': anyone,
  'Query.users': ownerOnly,
  'Query.coaches': anyone,
  'Query.rooms': anyone,
  'Query.coachSettings': anyone,
  'Query.weeklyAvailability': anyone,
  'Query.availabilityAdditions': anyone,
  'Query.availabilityBlocks': coachOwnOrOwner,
  'Query.coachAvailability': anyone,
  'Query.recurringBooking': partiesOrOwner,
  'Query.recurringBookings': partiesOrOwner,
  'Query.session': partiesOrOwner,
  'Query.sessions': partiesOrOwner,
  'Query.generationRuns': ownerOnly,
  'Query.stats': ownerOnly,
  // Always the caller's own feed: nothing of anyone else's is addressable.
  'Query.calendarFeed': anyone,
  'Query.webhookEndpoints': ownerOnly,
  // Members see the cancellation policy they are charged under.
  'Query.studioSettings': anyone,
  'Query.memberStatement': memberOwnOrOwner,
  'Query.revenueReport': ownerOnly,
  'Query.creditPacks': memberOwnOrOwner,
  'Query.webhookDeliveries': ownerOnly,
  'Query.notifications': everyoneOwn,
  'Query.notificationPreferences': everyoneOwn,
  // The timetable is open to everyone signed in; rosters narrow per reader (ClassSession.enrollments).
  'Query.classTypes': anyone,
  'Query.classSession': anyone,
  'Query.classSessions': anyone,
  'Query.classSchedules': anyone,
  // Members their own; coaches those of their schedules; owners all.
  'Query.standingReservations': partiesOrOwner,
  // Members their own; owners anyone's (memberId). Coaches read their classes' rosters instead.
  'Query.enrollments': memberOwnOrOwner,

  'Mutation.createUser': ownerOnly,
  'Mutation.createRoom': ownerOnly,
  'Mutation.updateCoachSettings': coachOwnOrOwner,
  'Mutation.updateStudioSettings': ownerOnly,
  'Mutation.grantCreditPack': ownerOnly,
  'Mutation.addAdjustment': ownerOnly,
  'Mutation.setWeeklyAvailability': coachOwnOrOwner,
  'Mutation.addAvailability': coachOwnOrOwner,
  'Mutation.removeAvailabilityAddition': coachOwnOrOwner,
  'Mutation.blockAvailability': coachOwnOrOwner,
  'Mutation.removeAvailabilityBlock': coachOwnOrOwner,
  'Mutation.createRecurringBooking': { MEMBER: 'own', OWNER: 'all' },
  'Mutation.cancelRecurringBooking': partiesOrOwner,
  'Mutation.changeRecurringBooking': partiesOrOwner,
  'Mutation.pauseRecurringBooking': partiesOrOwner,
  'Mutation.removeSeriesPause': partiesOrOwner,
  'Mutation.bookSession': { MEMBER: 'own', OWNER: 'all' },
  'Mutation.cancelSession': partiesOrOwner,
  'Mutation.completeSession': coachOwnOrOwner,
  'Mutation.markNoShow': coachOwnOrOwner,
  'Mutation.rescheduleSession': partiesOrOwner,
  'Mutation.generateSessions': ownerOnly,
  'Mutation.rotateCalendarFeed': anyone,
  'Mutation.createWebhookEndpoint': ownerOnly,
  'Mutation.updateWebhookEndpoint': ownerOnly,
  'Mutation.deleteWebhookEndpoint': ownerOnly,
  'Mutation.rotateWebhookSecret': ownerOnly,
  'Mutation.redeliverWebhook': ownerOnly,
  'Mutation.markNotificationsRead': everyoneOwn,
  'Mutation.updateNotificationPreferences': everyoneOwn,
  'Mutation.createClassType': ownerOnly,
  'Mutation.updateClassType': ownerOnly,
  'Mutation.createClassSchedule': ownerOnly,
  'Mutation.cancelClassSchedule': ownerOnly,
  'Mutation.scheduleClass': coachOwnOrOwner,
  'Mutation.cancelClassSession': coachOwnOrOwner,
  'Mutation.changeClassCapacity': coachOwnOrOwner,
  'Mutation.markAttendance': coachOwnOrOwner,
  // Coaches enroll members into their own classes.
  'Mutation.enrollInClass': partiesOrOwner,
  'Mutation.cancelEnrollment': partiesOrOwner,
  'Mutation.createStandingReservation': partiesOrOwner,
  'Mutation.cancelStandingReservation': partiesOrOwner,
  // Only the member an offer is made to answers it.
  'Mutation.acceptClassOffer': { MEMBER: 'own' },
  'Mutation.declineClassOffer': { MEMBER: 'own' },

  'Mutation.requestSignInCode': everyone,
  'Mutation.signInWithCode': everyone,
  'Mutation.signInWithPassword': everyone,
  'Mutation.refreshSession': everyone,
  'Mutation.setPassword': anyone,
  'Mutation.signOut': anyone,
  'Mutation.signOutEverywhere': anyone,
  'Mutation.updateProfile': anyone,

  'Subscription.sessionChanged': partiesOrOwner,
  'Subscription.generationRunFinished': ownerOnly,
  'Subscription.notificationReceived': everyoneOwn,
  'Subscription.classSessionChanged': anyone,
  // Only members are enrolled in classes.
  'Subscription.enrollmentChanged': { MEMBER: 'own' },
};

/** The roles for `@Authorized(...)`; throws for an operation missing from the table. */
export function rolesFor(operation: string): Role[] {
  const policy = POLICY[operation];
  if (!policy) throw new Error(`No access policy for ${operation}: add it to src/auth/policy.ts`);
  if (policy.ANONYMOUS) throw new Error(`${operation} is open to anonymous callers: decorate it with @Public, not @Authorized`);
  return Object.keys(policy) as Role[];
}

/** Whether callers without a token may call it; throws for an operation missing from the table. */
export function isPublic(operation: string): boolean {
  const policy = POLICY[operation];
  if (!policy) throw new Error(`No access policy for ${operation}: add it to src/auth/policy.ts`);
  return policy.ANONYMOUS === 'all';
}
