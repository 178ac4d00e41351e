import { ClassStatsDocument, CreateClassScheduleDocument, CreateClassTypeDocument, CreateStandingReservationDocument, EnrollInClassDocument, ScheduleClassDocument } from '../generated/graphql';
import { createRoom } from '../support/schedule';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

/** The owner's class numbers on a server of their own, so every count is known. */
const DAY = 86_400_000;
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
});
afterAll(() => server.stop());

it("counts the week ahead's places, every enrollment status, and the last 30 days' attendance", async () => {
  const empty = (await server.ok(ClassStatsDocument, {}, owner)).stats.classes;
  expect(empty).toMatchObject({ activeClassSchedules: 0, upcomingClassesNext7Days: 0, placesNext7Days: 0, attendanceRateLast30Days: null });
  expect(empty.enrollmentsByStatus.every((s) => s.count === 0)).toBe(true);

  const roomId = await createRoom(server, owner, 10);
  const typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Spin', durationMinutes: 45, capacity: 2, waitlistCapacity: 1 } }, owner)).createClassType.id;
  const coach = await server.user('COACH');
  const start = new Date(Math.ceil((Date.now() + 2 * DAY) / 3_600_000) * 3_600_000);
  const cls = (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
  const members = await Promise.all([1, 2, 3].map(() => server.user('MEMBER')));
  for (const m of members) await server.ok(EnrollInClassDocument, { sessionId: cls.id }, m);
  // A weekly class on a day of its own (10 places, its first class within the week) with one standing member.
  const weekday = (start.getUTCDay() + 3) % 7;
  const schedule = (await server.ok(CreateClassScheduleDocument, {
    input: { classTypeId: typeId, coachId: coach.id, roomId, dayOfWeek: weekday, startTime: '06:00', timezone: 'UTC', startDate: new Date(Date.now() + DAY).toISOString().slice(0, 10), capacity: 10 },
  }, owner)).createClassSchedule;
  await server.ok(CreateStandingReservationDocument, { input: { scheduleId: schedule.id, startDate: new Date(Date.now() + DAY).toISOString().slice(0, 10) } }, members[0]!);
  // Last week's class: three came, one did not.
  const [past] = await server.db.query<{ id: string }>(
    `INSERT INTO class_sessions (class_type_id, coach_id, room_id, start_time, end_time, capacity, waitlist_capacity, credits_per_class, status)
     VALUES ($1, $2, $3, now() - interval '7 days', now() - interval '7 days' + interval '45 minutes', 5, 0, 1, 'COMPLETED') RETURNING id::text`, [typeId, coach.id, roomId]);
  const others = await Promise.all([1, 2, 3, 4].map(() => server.user('MEMBER')));
  for (const [i, m] of others.entries()) {
    await server.db.query(`INSERT INTO enrollments (class_session_id, member_id, status) VALUES ($1, $2, $3::"EnrollmentStatus")`, [past!.id, m.id, i < 3 ? 'ATTENDED' : 'NO_SHOW']);
  }

  const stats = (await server.ok(ClassStatsDocument, {}, owner)).stats.classes;
  const weekly = schedule.sessions.filter((c) => Date.parse(c.startTime) < Date.now() + 7 * DAY).length;
  expect(weekly).toBe(1);
  expect(stats).toMatchObject({
    activeClassSchedules: 1,
    activeStandingReservations: 1,
    upcomingClassesNext7Days: 2,
    placesNext7Days: 12,
    bookedNext7Days: 3,
    waitlistedNext7Days: 1,
    attendanceRateLast30Days: 0.75,
  });
  const byStatus = Object.fromEntries(stats.enrollmentsByStatus.map((s) => [s.status, s.count]));
  expect(byStatus).toMatchObject({ BOOKED: 2 + schedule.sessions.length, WAITLISTED: 1, ATTENDED: 3, NO_SHOW: 1, OFFERED: 0 });

  expect(errorOf(await server.request(ClassStatsDocument, {}, members[1]!)).code).toBe('FORBIDDEN');
});
