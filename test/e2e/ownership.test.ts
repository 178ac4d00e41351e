import { POLICY } from '../../src/auth/policy';
import type { Role } from '../../src/domain/lifecycle';
import {
  AddAvailabilityDocument,
  BlockAvailabilityDocument,
  BookSessionDocument,
  CreateClassTypeDocument,
  CreateRecurringBookingDocument,
  EnrollInClassDocument,
  PauseRecurringBookingDocument,
  ScheduleClassDocument,
} from '../generated/graphql';
import { nextWeekday } from '../support/booking-fixtures';
import { tableDigests } from '../support/database';
import { coachWithHours, localAt } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';
import { outboxSettled } from '../support/notifications';

/**
 * The other half of the access policy ('own'): for every operation a member or coach may
 * call on their own records, the same call on somebody else's records reveals nothing and
 * writes nothing. The table of cases must cover every 'own' entry of the policy: a new one
 * fails here until it has a case.
 */
const TABLES = [
  'recurring_bookings', 'training_sessions', 'session_status_changes', 'coach_settings', 'weekly_availability', 'availability_additions', 'availability_blocks',
  'notifications', 'notification_preferences', 'session_reminders', 'charges', 'credit_packs', 'series_pauses',
  'class_sessions', 'enrollments', 'enrollment_status_changes',
];

/** Covered by their own tests. */
const ELSEWHERE: Record<string, string> = {
  // A member reads only their own and cannot reserve for another; a coach only their schedules' (the service's where).
  'Query.standingReservations': "test/e2e/class-schedules.test.ts, 'enroll their members in the classes already there'",
  'Mutation.createStandingReservation': "test/e2e/class-schedules.test.ts, 'are refused for another member'",
  'Mutation.cancelStandingReservation': "test/e2e/class-schedules.test.ts, 'gives up its places in the classes ahead' (another member, another coach)",
  'Subscription.sessionChanged': "test/e2e/subscriptions.test.ts, 'who receives what'",
  // Everyone, owners included, reads and marks only their own notifications; preferences take no id at all.
  'Query.notifications': "test/e2e/notifications.test.ts, 'refuses unknown ids and another person's ids' (owners)",
  'Mutation.markNotificationsRead': "test/e2e/notifications.test.ts, 'refuses unknown ids and another person's ids' (owners)",
  'Query.notificationPreferences': 'no argument names another person: always the caller',
  'Mutation.updateNotificationPreferences': 'no argument names another person: always the caller',
  // The empty list is checked against the member's own pack, which this fixture does not sell.
  'Query.creditPacks': "test/e2e/billing.test.ts, 'are another member's business: an empty list'",
  'Subscription.enrollmentChanged': "no argument names another person: always the caller (test/e2e/class-live.test.ts, 'nobody else's')",
  'Subscription.notificationReceived': "test/e2e/notifications.test.ts, 'notificationReceived hands each person their own'",
};

interface Fixture {
  member: TestUser;
  coach: TestUser;
  /** The other member and the other coach: the callers of every case. */
  stranger: Record<'MEMBER' | 'COACH', TestUser>;
  seriesId: string;
  sessionId: string;
  additionId: string;
  blockId: string;
  /** A pause of the member's series. */
  pauseId: string;
  /** The coach's class, and the member's enrollment in it. */
  classTypeId: string;
  classId: string;
  enrollmentId: string;
  /** The member's own notifications (their booking's and their series'). */
  notificationIds: string[];
}

/** What the stranger asks about the member's and the coach's records. */
type Ask = (f: Fixture) => { query: string; variables?: Record<string, unknown> };

/** A refusal that reveals nothing: NOT_FOUND or FORBIDDEN, never the record. */
const REFUSED = 'refused';
/** A list or page narrowed to the caller's own records: here, empty. */
const EMPTY = 'empty';

const CASES: Record<string, { roles: ('MEMBER' | 'COACH')[]; ask: Ask; expect: typeof REFUSED | typeof EMPTY }> = {
  'Query.availabilityBlocks': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `query($c: ID!) { availabilityBlocks(coachId: $c) { id } }`, variables: { c: f.coach.id } }) },
  'Query.recurringBooking': { roles: ['MEMBER', 'COACH'], expect: REFUSED, ask: (f) => ({ query: `query($id: ID!) { recurringBooking(id: $id) { id } }`, variables: { id: f.seriesId } }) },
  'Query.recurringBookings': {
    roles: ['MEMBER', 'COACH'],
    expect: EMPTY,
    ask: (f) => ({ query: `query($m: ID, $c: ID) { recurringBookings(memberId: $m, coachId: $c) { id } }`, variables: { m: f.member.id, c: f.coach.id } }),
  },
  'Query.session': { roles: ['MEMBER', 'COACH'], expect: REFUSED, ask: (f) => ({ query: `query($id: ID!) { session(id: $id) { id } }`, variables: { id: f.sessionId } }) },
  'Query.sessions': {
    roles: ['MEMBER', 'COACH'],
    expect: EMPTY,
    ask: (f) => ({ query: `query($f: SessionFilter) { sessions(filter: $f) { totalCount edges { node { id } } } }`, variables: { f: { memberId: f.member.id, coachId: f.coach.id } } }),
  },
  'Mutation.updateCoachSettings': {
    roles: ['COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($i: CoachSettingsInput!) { updateCoachSettings(input: $i) { defaultDurationMinutes } }`, variables: { i: { coachId: f.coach.id, defaultDurationMinutes: 30 } } }),
  },
  'Mutation.setWeeklyAvailability': {
    roles: ['COACH'],
    expect: REFUSED,
    ask: (f) => ({
      query: `mutation($c: ID, $s: [WeeklySlotInput!]!) { setWeeklyAvailability(coachId: $c, slots: $s) { id } }`,
      variables: { c: f.coach.id, s: [{ dayOfWeek: 1, startTime: '08:00', endTime: '09:00' }] },
    }),
  },
  'Mutation.addAvailability': {
    roles: ['COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($i: AvailabilityWindowInput!) { addAvailability(input: $i) { id } }`, variables: { i: window(f.coach.id, 20) } }),
  },
  'Mutation.removeAvailabilityAddition': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { removeAvailabilityAddition(id: $id) }`, variables: { id: f.additionId } }) },
  'Mutation.blockAvailability': {
    roles: ['COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($i: AvailabilityWindowInput!) { blockAvailability(input: $i) { id } }`, variables: { i: window(f.coach.id, 21) } }),
  },
  'Mutation.removeAvailabilityBlock': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { removeAvailabilityBlock(id: $id) }`, variables: { id: f.blockId } }) },
  'Mutation.createRecurringBooking': {
    roles: ['MEMBER'],
    expect: REFUSED,
    ask: (f) => ({
      query: `mutation($i: CreateRecurringBookingInput!) { createRecurringBooking(input: $i) { id } }`,
      variables: { i: { memberId: f.member.id, coachId: f.coach.id, dayOfWeek: 4, startTime: '15:00', endTime: '16:00', startDate: nextWeekday(4) } },
    }),
  },
  'Mutation.cancelRecurringBooking': {
    roles: ['MEMBER', 'COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($i: CancelRecurringBookingInput!) { cancelRecurringBooking(input: $i) { id } }`, variables: { i: { recurringBookingId: f.seriesId } } }),
  },
  'Mutation.changeRecurringBooking': {
    roles: ['MEMBER', 'COACH'],
    expect: REFUSED,
    ask: (f) => ({
      query: `mutation($i: ChangeRecurringBookingInput!) { changeRecurringBooking(input: $i) { id } }`,
      variables: { i: { recurringBookingId: f.seriesId, effectiveFrom: nextWeekday(2, 'UTC', 1), startTime: '12:00', endTime: '13:00' } },
    }),
  },
  'Mutation.pauseRecurringBooking': {
    roles: ['MEMBER', 'COACH'],
    expect: REFUSED,
    ask: (f) => ({
      query: `mutation($i: PauseRecurringBookingInput!) { pauseRecurringBooking(input: $i) { id } }`,
      variables: { i: { recurringBookingId: f.seriesId, from: nextWeekday(2, 'UTC', 1), to: nextWeekday(2, 'UTC', 2) } },
    }),
  },
  'Mutation.removeSeriesPause': { roles: ['MEMBER', 'COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { removeSeriesPause(id: $id) }`, variables: { id: f.pauseId } }) },
  'Mutation.bookSession': {
    roles: ['MEMBER'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($i: BookSessionInput!) { bookSession(input: $i) { id } }`, variables: { i: { memberId: f.member.id, coachId: f.coach.id, startTime: localAt('UTC', 9, '11:00').toISOString() } } }),
  },
  'Mutation.cancelSession': { roles: ['MEMBER', 'COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { cancelSession(id: $id) { id } }`, variables: { id: f.sessionId } }) },
  'Mutation.completeSession': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { completeSession(id: $id) { id } }`, variables: { id: f.sessionId } }) },
  'Mutation.markNoShow': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { markNoShow(id: $id) { id } }`, variables: { id: f.sessionId } }) },
  'Query.notifications': {
    roles: ['MEMBER', 'COACH'],
    expect: EMPTY,
    ask: () => ({ query: `{ notifications(first: 50) { totalCount edges { node { id session { id } recurringBooking { id } } } } }` }),
  },
  'Mutation.markNotificationsRead': {
    roles: ['MEMBER', 'COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, variables: { ids: f.notificationIds } }),
  },
  'Query.memberStatement': {
    roles: ['MEMBER'],
    expect: REFUSED,
    ask: (f) => ({ query: `query($m: ID) { memberStatement(memberId: $m, from: "2026-01-01", to: "2026-12-31") { totalCents } }`, variables: { m: f.member.id } }),
  },
  'Mutation.rescheduleSession': {
    roles: ['MEMBER', 'COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($id: ID!, $t: DateTime!) { rescheduleSession(id: $id, startTime: $t) { id } }`, variables: { id: f.sessionId, t: localAt('UTC', 10, '12:00').toISOString() } }),
  },
  'Query.enrollments': {
    roles: ['MEMBER'],
    expect: EMPTY,
    ask: (f) => ({ query: `query($m: ID) { enrollments(memberId: $m) { totalCount edges { node { id } } } }`, variables: { m: f.member.id } }),
  },
  'Mutation.scheduleClass': {
    roles: ['COACH'],
    expect: REFUSED,
    ask: (f) => ({
      query: `mutation($i: ScheduleClassInput!) { scheduleClass(input: $i) { id } }`,
      variables: { i: { classTypeId: f.classTypeId, coachId: f.coach.id, startTime: localAt('UTC', 11, '07:00').toISOString() } },
    }),
  },
  'Mutation.cancelClassSession': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { cancelClassSession(id: $id, reason: "x") { id } }`, variables: { id: f.classId } }) },
  'Mutation.changeClassCapacity': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { changeClassCapacity(id: $id, capacity: 9) { id } }`, variables: { id: f.classId } }) },
  'Mutation.enrollInClass': {
    roles: ['MEMBER', 'COACH'],
    expect: REFUSED,
    ask: (f) => ({ query: `mutation($s: ID!, $m: ID) { enrollInClass(sessionId: $s, memberId: $m) { id } }`, variables: { s: f.classId, m: f.member.id } }),
  },
  'Mutation.cancelEnrollment': { roles: ['MEMBER', 'COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { cancelEnrollment(id: $id) { id } }`, variables: { id: f.enrollmentId } }) },
  'Mutation.markAttendance': { roles: ['COACH'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { markAttendance(enrollmentId: $id, status: ATTENDED) { id } }`, variables: { id: f.enrollmentId } }) },
  'Mutation.acceptClassOffer': { roles: ['MEMBER'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { acceptClassOffer(enrollmentId: $id) { id } }`, variables: { id: f.enrollmentId } }) },
  'Mutation.declineClassOffer': { roles: ['MEMBER'], expect: REFUSED, ask: (f) => ({ query: `mutation($id: ID!) { declineClassOffer(enrollmentId: $id) { id } }`, variables: { id: f.enrollmentId } }) },
};

function window(coachId: string, daysAhead: number) {
  return { coachId, startTime: localAt('UTC', daysAhead, '09:00').toISOString(), endTime: localAt('UTC', daysAhead, '10:00').toISOString() };
}

let server: TestServer;
let fixture: Fixture;

beforeAll(async () => {
  server = await startTestServer();
  const owner = await server.user('OWNER');
  const { coach } = await coachWithHours(server, owner);
  const member = await server.user('MEMBER');
  const stranger = { MEMBER: await server.user('MEMBER'), COACH: (await coachWithHours(server, owner)).coach };
  const series = await server.ok(
    CreateRecurringBookingDocument,
    { input: { coachId: coach.id, dayOfWeek: 2, startTime: '10:00', endTime: '11:00', startDate: nextWeekday(2) } },
    member,
  );
  const booked = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: localAt('UTC', 3, '12:00').toISOString() } }, member);
  const addition = await server.ok(AddAvailabilityDocument, { input: window(coach.id, 12) }, coach);
  const block = await server.ok(BlockAvailabilityDocument, { input: window(coach.id, 13) }, coach);
  const pause = await server.ok(
    PauseRecurringBookingDocument,
    { input: { recurringBookingId: series.createRecurringBooking.id, from: nextWeekday(2, 'UTC', 20), to: nextWeekday(2, 'UTC', 21) } },
    member,
  );
  const classType = await server.ok(CreateClassTypeDocument, { input: { name: 'Spin', durationMinutes: 45, capacity: 8 } }, owner);
  const cls = await server.ok(
    ScheduleClassDocument,
    { input: { classTypeId: classType.createClassType.id, coachId: coach.id, startTime: localAt('UTC', 4, '07:00').toISOString() } },
    coach,
  );
  const enrollment = await server.ok(EnrollInClassDocument, { sessionId: cls.scheduleClass.id }, member);
  fixture = {
    classTypeId: classType.createClassType.id,
    classId: cls.scheduleClass.id,
    enrollmentId: enrollment.enrollInClass.id,
    member,
    coach,
    stranger,
    seriesId: series.createRecurringBooking.id,
    sessionId: booked.bookSession.id,
    additionId: addition.addAvailability.id,
    blockId: block.blockAvailability.id,
    pauseId: pause.pauseRecurringBooking.id,
    notificationIds: (await server.db.query<{ id: string }>('SELECT id::text FROM notifications WHERE user_id = $1', [member.id])).map((r) => r.id),
  };
  expect(fixture.notificationIds.length).toBeGreaterThan(0);
  // Emails are recorded SKIPPED (no SMTP here) by the worker: let it finish before tables are fingerprinted.
  await outboxSettled(server.db);
});
afterAll(() => server.stop());

async function post(query: string, variables: Record<string, unknown> | undefined, as: TestUser) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${as.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

describe('the ownership cases', () => {
  it("cover every 'own' entry of the access policy", () => {
    const own = Object.entries(POLICY).flatMap(([operation, policy]) =>
      (Object.entries(policy) as [Role, string][]).filter(([, access]) => access === 'own').map(([role]) => `${operation} as ${role}`),
    );
    const covered = [
      ...Object.entries(CASES).flatMap(([operation, { roles }]) => roles.map((role) => `${operation} as ${role}`)),
      ...own.filter((entry) => ELSEWHERE[entry.split(' as ')[0]]),
    ];
    expect(own.filter((entry) => !covered.includes(entry))).toEqual([]);
  });
});

describe.each(Object.entries(CASES).flatMap(([operation, spec]) => spec.roles.map((role) => [operation, role, spec] as const)))(
  '%s as another %s',
  (operation, role, spec) => {
    it(spec.expect === REFUSED ? 'is refused and writes nothing' : 'sees none of their records and writes nothing', async () => {
      const before = await tableDigests(server.db, TABLES);
      const { query, variables } = spec.ask(fixture);
      const body = await post(query, variables, fixture.stranger[role]);
      if (spec.expect === REFUSED) {
        expect(['NOT_FOUND', 'FORBIDDEN']).toContain(body.errors?.[0]?.extensions?.code);
        expect(Object.values(body.data ?? {}).filter((value) => value !== null)).toEqual([]);
      } else {
        const records = new RegExp(`${fixture.seriesId}|${fixture.sessionId}|${fixture.enrollmentId}`);
        expect(body.errors).toBeUndefined();
        expect(JSON.stringify(body.data)).not.toMatch(records);
        // The same question from the records' own member or coach does find them.
        const rightful = await post(query, variables, role === 'MEMBER' ? fixture.member : fixture.coach);
        expect(JSON.stringify(rightful.data)).toMatch(records);
      }
      expect(await tableDigests(server.db, TABLES)).toEqual(before);
    });
  },
);
