// The normalized cache: entities by __typename and id, so a subscription event or a
// mutation's answer updates every view showing the same session, class or enrollment.
import type { CacheExchangeOpts, UpdateResolver } from '@urql/exchange-graphcache';

/** Types without an id are stored inside their parent. */
const EMBEDDED = [
  'TimeSlot', 'PageInfo', 'SessionConnection', 'SessionEdge', 'ClassSessionConnection', 'ClassSessionEdge',
  'EnrollmentConnection', 'EnrollmentEdge', 'MemberStatement', 'NotificationPreferences', 'CalendarFeed',
  'StudioSettings', 'AuthPayload', 'SessionChangeEvent',
];

/** Lists a write can change (a new session, a freed slot, a charge): refetched when on screen. */
const LISTS = new Set([
  'sessions', 'coachAvailability', 'recurringBookings', 'enrollments', 'classSessions', 'memberStatement',
  'creditPacks', 'weeklyAvailability', 'availabilityAdditions', 'availabilityBlocks',
]);

const refetchLists: UpdateResolver = (_result, _args, cache) => {
  for (const field of cache.inspectFields('Query')) {
    if (LISTS.has(field.fieldName)) cache.invalidate('Query', field.fieldName, field.arguments ?? undefined);
  }
};

const WRITES = [
  'bookSession', 'cancelSession', 'completeSession', 'markNoShow', 'rescheduleSession',
  'createRecurringBooking', 'cancelRecurringBooking', 'changeRecurringBooking', 'pauseRecurringBooking', 'removeSeriesPause',
  'setWeeklyAvailability', 'addAvailability', 'removeAvailabilityAddition', 'blockAvailability', 'removeAvailabilityBlock',
  'enrollInClass', 'cancelEnrollment', 'acceptClassOffer', 'declineClassOffer', 'markAttendance',
];

export const cacheConfig: Partial<CacheExchangeOpts> = {
  keys: Object.fromEntries(EMBEDDED.map((type) => [type, () => null])),
  updates: {
    Mutation: Object.fromEntries(WRITES.map((field) => [field, refetchLists])),
    // A session created or moved elsewhere (by the coach, the desk, a generation run) changes lists too.
    Subscription: { sessionChanged: refetchLists },
  },
};
