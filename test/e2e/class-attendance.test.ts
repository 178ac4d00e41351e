import { CreateClassTypeDocument, EnrollInClassDocument, MarkAttendanceDocument, ScheduleClassDocument } from '../generated/graphql';
import { createRoom } from '../support/schedule';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Attendance for classes, on a server whose clock the spec moves: classes are scheduled
 * ahead, then the clock is set inside them (or a week after) to mark.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let clock = Date.now();
let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let roomId: string;
let typeId: string;
let slot = 0;

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  owner = await server.user('OWNER');
  coach = await server.user('COACH');
  roomId = await createRoom(server, owner, 3);
  typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Boxing', durationMinutes: 60, capacity: 5 } }, owner)).createClassType.id;
});
afterAll(() => server.stop());

/** A class with `n` booked members, starting at a whole hour a few days after the current clock. */
async function classWith(n: number) {
  slot += 1;
  const start = new Date(Math.ceil((clock + 3 * DAY) / HOUR) * HOUR + slot * 2 * HOUR);
  const cls = (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
  const enrollments = [];
  for (let i = 0; i < n; i++) enrollments.push((await server.ok(EnrollInClassDocument, { sessionId: cls.id }, await server.user('MEMBER'))).enrollInClass);
  return { start, end: new Date(start.getTime() + HOUR), enrollments };
}

const mark = (enrollmentId: string, status: 'ATTENDED' | 'NO_SHOW' | 'BOOKED', as: TestUser = coach) => server.request(MarkAttendanceDocument, { enrollmentId, status }, as);

describe('marking attendance', () => {
  it("is the class's coach's and owners' from the start until 7 days after the end, corrections included", async () => {
    const { start, end, enrollments: [a, b] } = await classWith(2);
    expect(errorOf(await mark(a.id, 'ATTENDED'))).toMatchObject({ code: 'CONFLICT', message: 'Attendance can be marked once the class has started' });

    clock = start.getTime() + 5 * 60_000;
    expect((await mark(a.id, 'ATTENDED')).data?.markAttendance).toMatchObject({ status: 'ATTENDED' });
    expect((await mark(b.id, 'NO_SHOW', owner)).data?.markAttendance).toMatchObject({ status: 'NO_SHOW' });

    clock = end.getTime() + 7 * DAY - 60_000;
    const corrected = (await mark(b.id, 'ATTENDED')).data?.markAttendance;
    expect(corrected?.status).toBe('ATTENDED');
    expect(corrected?.history.map((h) => [h.from, h.to, h.actor?.id ?? null, h.reason])).toEqual([
      [null, 'BOOKED', b.member.id, null],
      ['BOOKED', 'NO_SHOW', owner.id, null],
      ['NO_SHOW', 'ATTENDED', coach.id, 'correction'],
    ]);

    clock = end.getTime() + 7 * DAY + 60_000;
    expect(errorOf(await mark(a.id, 'NO_SHOW'))).toMatchObject({ code: 'CONFLICT', message: 'Attendance can be marked until 7 days after the class' });
    clock = Date.now();
  });

  it('refuses another status, another coach, a member and an unknown enrollment, writing nothing', async () => {
    const { start, enrollments: [a] } = await classWith(1);
    clock = start.getTime() + 60_000;
    const before = await server.db.query(`SELECT status::text FROM enrollments WHERE id = $1`, [a.id]);
    expect(errorOf(await mark(a.id, 'BOOKED'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
    expect(errorOf(await mark(a.id, 'ATTENDED', await server.user('COACH')))).toMatchObject({ code: 'NOT_FOUND', field: 'enrollmentId' });
    expect(errorOf(await mark(a.id, 'ATTENDED', await server.user('MEMBER')))).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(await mark('00000000-0000-4000-8000-000000000000', 'ATTENDED'))).toMatchObject({ code: 'NOT_FOUND', field: 'enrollmentId' });
    expect(await server.db.query(`SELECT status::text FROM enrollments WHERE id = $1`, [a.id])).toEqual(before);
    clock = Date.now();
  });
});
