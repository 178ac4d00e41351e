import pg from 'pg';
import { AddAvailabilityDocument, BookSessionDocument, UpdateCoachSettingsDocument, type BookSessionInput } from '../generated/graphql';
import { coachWithHours, createRoom, localAt, plusMinutes, writeCounts } from '../support/schedule';
import { errorOf, startTestServer, type GraphqlResponse, type TestServer, type TestUser } from '../support/server';

// The studio runs on UTC here; availability.test.ts covers another timezone.
const UTC = 'UTC';
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
});
afterAll(() => server.stop());

/** 10:00 UTC three days from now: always in the future and inside 06:00-22:00 hours. */
const slotDay = (daysAhead = 3) => localAt(UTC, daysAhead, '10:00');

const members = (n: number) => Promise.all(Array.from({ length: n }, () => server.user('MEMBER')));

const book = (input: BookSessionInput, as: TestUser) => server.request(BookSessionDocument, { input }, as);

/** Splits results into successes and error codes; anything but CONFLICT fails the caller's expectation. */
function tally(results: GraphqlResponse<unknown>[]) {
  const codes = results.filter((r) => r.errors?.length).map((r) => errorOf(r).code);
  return { ok: results.filter((r) => !r.errors?.length && r.data).length, codes };
}

/** Pairs of non-cancelled sessions of one coach (or member) that overlap: must always be zero. */
async function overlappingPairs(column: 'coach_id' | 'member_id', id: string): Promise<number> {
  const [row] = await server.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM training_sessions a JOIN training_sessions b
       ON a.id < b.id AND a.${column} = b.${column}
      AND tstzrange(a.start_time, a.end_time, '[)') && tstzrange(b.start_time, b.end_time, '[)')
    WHERE a.${column} = $1 AND a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'`,
    [id],
  );
  return Number(row.n);
}

const sessionsOf = async (coachId: string) =>
  server.db.query<{ member_id: string; room_id: string; start_time: Date; end_time: Date }>(
    `SELECT member_id, room_id, start_time, end_time FROM training_sessions WHERE coach_id = $1 AND status <> 'CANCELLED' ORDER BY start_time`,
    [coachId],
  );

describe('booking a one-off session', () => {
  it("books a member into the coach's default room for the coach's default duration, with a CREATED history entry", async () => {
    const { coach, roomId } = await coachWithHours(server, owner, { defaultDurationMinutes: 45 });
    const [member] = await members(1);
    const start = slotDay();
    const data = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString() } }, member);
    expect(data.bookSession).toEqual({
      id: expect.any(String),
      coach: { id: coach.id },
      member: { id: member.id },
      room: { id: roomId },
      startTime: start.toISOString(),
      endTime: plusMinutes(start, 45).toISOString(),
      status: 'SCHEDULED',
      history: [{ from: null, to: 'SCHEDULED', actor: { id: member.id } }],
    });
  });

  it('takes an explicit duration and room', async () => {
    const { coach } = await coachWithHours(server, owner);
    const otherRoom = await createRoom(server, owner);
    const [member] = await members(1);
    const data = await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: slotDay().toISOString(), durationMinutes: 90, roomId: otherRoom } }, member);
    expect(data.bookSession.room.id).toBe(otherRoom);
    expect(new Date(data.bookSession.endTime).getTime() - new Date(data.bookSession.startTime).getTime()).toBe(90 * 60_000);
  });

  it('lets the owner book for a member, who must be named', async () => {
    const { coach } = await coachWithHours(server, owner);
    const [member] = await members(1);
    const data = await server.ok(BookSessionDocument, { input: { coachId: coach.id, memberId: member.id, startTime: slotDay().toISOString() } }, owner);
    expect(data.bookSession.member.id).toBe(member.id);
    expect(data.bookSession.history[0].actor?.id).toBe(owner.id);
    expect(errorOf(await book({ coachId: coach.id, startTime: slotDay(4).toISOString() }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.memberId' });
  });

  it('refuses a member booking for someone else, and coaches booking at all', async () => {
    const { coach } = await coachWithHours(server, owner);
    const [member, other] = await members(2);
    expect(errorOf(await book({ coachId: coach.id, memberId: other.id, startTime: slotDay().toISOString() }, member)).code).toBe('FORBIDDEN');
    expect(errorOf(await book({ coachId: coach.id, memberId: member.id, startTime: slotDay().toISOString() }, coach)).code).toBe('FORBIDDEN');
    expect(await sessionsOf(coach.id)).toEqual([]);
  });

  it('books a session inside an extra window outside the weekly hours', async () => {
    const { coach } = await coachWithHours(server, owner, { from: '09:00', to: '17:00' });
    const [member] = await members(1);
    const start = localAt(UTC, 3, '19:00');
    expect(errorOf(await book({ coachId: coach.id, startTime: start.toISOString() }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.startTime' });
    await server.ok(AddAvailabilityDocument, { input: { startTime: localAt(UTC, 3, '18:00').toISOString(), endTime: localAt(UTC, 3, '21:00').toISOString() } }, coach);
    expect((await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString() } }, member)).bookSession.status).toBe('SCHEDULED');
  });

  it('accepts back-to-back sessions of one coach, one member and one room', async () => {
    const { coach, roomId } = await coachWithHours(server, owner);
    const [member] = await members(1);
    const start = slotDay();
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString() } }, member);
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: plusMinutes(start, 60).toISOString() } }, member);
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: plusMinutes(start, -60).toISOString() } }, member);
    const rows = await sessionsOf(coach.id);
    expect(rows.map((r) => [r.start_time.toISOString(), r.room_id])).toEqual([
      [plusMinutes(start, -60).toISOString(), roomId],
      [start.toISOString(), roomId],
      [plusMinutes(start, 60).toISOString(), roomId],
    ]);
  });

  it('says who is busy when a sequential booking clashes, and writes nothing', async () => {
    const { coach } = await coachWithHours(server, owner, { roomCapacity: 5 });
    const { coach: otherCoach } = await coachWithHours(server, owner, { roomCapacity: 5 });
    const [member, other] = await members(2);
    const start = slotDay();
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString() } }, member);
    const before = await writeCounts(server);
    expect(errorOf(await book({ coachId: coach.id, startTime: plusMinutes(start, 30).toISOString() }, other))).toMatchObject({
      code: 'CONFLICT',
      message: 'The coach already has a session at that time',
    });
    expect(errorOf(await book({ coachId: otherCoach.id, startTime: plusMinutes(start, 59).toISOString() }, member))).toMatchObject({
      code: 'CONFLICT',
      message: 'The member already has a session at that time',
    });
    expect(await writeCounts(server)).toEqual(before);
  });
});

describe('bad input', () => {
  let coach: TestUser;
  let member: TestUser;
  let roomless: TestUser;
  beforeAll(async () => {
    ({ coach } = await coachWithHours(server, owner, { from: '09:00', to: '17:00' }));
    [member] = await members(1);
    roomless = await server.user('COACH');
  });

  const unknownId = '00000000-0000-4000-8000-000000000000';
  const cases: Array<[string, string, string, () => Partial<BookSessionInput>]> = [
    ['a duration of 14 minutes', 'BAD_USER_INPUT', 'input.durationMinutes', () => ({ durationMinutes: 14 })],
    ['a duration of 481 minutes', 'BAD_USER_INPUT', 'input.durationMinutes', () => ({ durationMinutes: 481 })],
    ['a start in the past', 'BAD_USER_INPUT', 'input.startTime', () => ({ startTime: localAt(UTC, -1, '10:00').toISOString() })],
    ['a start a minute ago', 'BAD_USER_INPUT', 'input.startTime', () => ({ startTime: plusMinutes(new Date(), -1).toISOString() })],
    ['a start before the coach hours', 'BAD_USER_INPUT', 'input.startTime', () => ({ startTime: localAt(UTC, 3, '08:00').toISOString() })],
    ['a session running past the coach hours', 'BAD_USER_INPUT', 'input.startTime', () => ({ startTime: localAt(UTC, 3, '16:30').toISOString() })],
    ['an unknown room', 'NOT_FOUND', 'input.roomId', () => ({ roomId: unknownId })],
    ['a malformed room id', 'NOT_FOUND', 'input.roomId', () => ({ roomId: 'room-1' })],
    ['an unknown coach', 'NOT_FOUND', 'input.coachId', () => ({ coachId: unknownId })],
    ['a member as the coach', 'NOT_FOUND', 'input.coachId', () => ({ coachId: member.id })],
    ['a malformed start', 'BAD_USER_INPUT', 'input.startTime', () => ({ startTime: 'tomorrow at ten' })],
  ];

  it.each(cases)('refuses %s with %s on %s and writes nothing', async (_label, code, field, override) => {
    const before = await writeCounts(server);
    const input = { coachId: coach.id, startTime: localAt(UTC, 3, '10:00').toISOString(), ...override() };
    expect(errorOf(await book(input, member))).toMatchObject({ code, field });
    expect(await writeCounts(server)).toEqual(before);
  });

  it('refuses a coach without a default room when no room is given, writing nothing', async () => {
    await server.ok(AddAvailabilityDocument, { input: { startTime: localAt(UTC, 3, '09:00').toISOString(), endTime: localAt(UTC, 3, '12:00').toISOString() } }, roomless);
    const before = await writeCounts(server);
    expect(errorOf(await book({ coachId: roomless.id, startTime: localAt(UTC, 3, '10:00').toISOString() }, member))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.roomId',
      message: 'Coach has no default room configured',
    });
    expect(await writeCounts(server)).toEqual(before);
  });

  it('refuses an owner booking for a user who is not a member', async () => {
    const before = await writeCounts(server);
    expect(errorOf(await book({ coachId: coach.id, memberId: coach.id, startTime: localAt(UTC, 3, '10:00').toISOString() }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'input.memberId' });
    expect(await writeCounts(server)).toEqual(before);
  });
});

describe('concurrent bookings', () => {
  it('gives one of 30 members booking the same coach slot at once the session, and the other 29 a CONFLICT', async () => {
    const { coach } = await coachWithHours(server, owner);
    const crowd = await members(30);
    const input = { coachId: coach.id, startTime: slotDay().toISOString() };
    const historyBefore = (await writeCounts(server)).history;

    const began = performance.now();
    const results = await Promise.all(crowd.map((m) => book(input, m)));
    const ms = Math.round(performance.now() - began);
    console.log(`30 concurrent bookings of one slot (pool of 10 connections): ${ms} ms`);

    expect(tally(results)).toEqual({ ok: 1, codes: Array(29).fill('CONFLICT') });
    const rows = await sessionsOf(coach.id);
    expect(rows).toHaveLength(1);
    const winner = results.find((r) => !r.errors)!.data!.bookSession.member.id;
    expect(rows[0].member_id).toBe(winner);
    expect((await writeCounts(server)).history).toBe(historyBefore + 1);
  });

  it('leaves the last word to the database: a clash committed by a writer that skips every check is a CONFLICT', async () => {
    const { coach, roomId } = await coachWithHours(server, owner);
    const [member, other] = await members(2);
    const start = slotDay();
    // Another writer (think: a buggy job) holds an uncommitted overlapping session of the coach.
    const writer = new pg.Client({ connectionString: server.db.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time) VALUES ($1, $2, $3, $4, $5)`,
        [coach.id, other.id, await createRoom(server, owner), plusMinutes(start, 30), plusMinutes(start, 90)],
      );
      // The booking cannot see that row, passes every check, and waits on the exclusion constraint.
      const pending = book({ coachId: coach.id, startTime: start.toISOString(), roomId }, member);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.query('COMMIT');
      expect(errorOf(await pending)).toMatchObject({ code: 'CONFLICT', message: 'The coach already has a session at that time' });
    } finally {
      await writer.end();
    }
    const rows = await sessionsOf(coach.id);
    expect(rows.map((r) => r.member_id)).toEqual([other.id]);
    expect(await overlappingPairs('coach_id', coach.id)).toBe(0);
  });

  it('never stores overlapping sessions for 20 staggered requests (60-minute sessions every 15 minutes)', async () => {
    const { coach } = await coachWithHours(server, owner);
    const crowd = await members(20);
    const rooms = await Promise.all(crowd.map(() => createRoom(server, owner)));
    const first = slotDay();
    const began = performance.now();
    const results = await Promise.all(
      crowd.map((m, i) => book({ coachId: coach.id, startTime: plusMinutes(first, 15 * i).toISOString(), durationMinutes: 60, roomId: rooms[i] }, m)),
    );
    const ms = Math.round(performance.now() - began);
    console.log(`20 concurrent staggered bookings of one coach: ${ms} ms`);
    const { ok, codes } = tally(results);
    expect(codes.every((c) => c === 'CONFLICT')).toBe(true);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].message)).toEqual(Array(codes.length).fill('The coach already has a session at that time'));
    expect(ok + codes.length).toBe(20);
    // 20 starts over 5 hours: at most 5 sessions fit; every refused one overlaps a stored one, so at least 3 are stored.
    expect(ok).toBeGreaterThanOrEqual(3);
    expect(ok).toBeLessThanOrEqual(5);
    expect(await overlappingPairs('coach_id', coach.id)).toBe(0);
    expect(await sessionsOf(coach.id)).toHaveLength(ok);
  });

  it('gives a member booking two coaches for the same time at once only one of them', async () => {
    const { coach: a } = await coachWithHours(server, owner);
    const { coach: b } = await coachWithHours(server, owner);
    const [member] = await members(1);
    const start = slotDay().toISOString();
    const results = await Promise.all([book({ coachId: a.id, startTime: start }, member), book({ coachId: b.id, startTime: start }, member)]);
    expect(tally(results)).toEqual({ ok: 1, codes: ['CONFLICT'] });
    expect(results.find((r) => r.errors)!.errors![0].message).toBe('The member already has a session at that time');
    expect(await overlappingPairs('member_id', member.id)).toBe(0);
    const [row] = await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM training_sessions WHERE member_id = $1`, [member.id]);
    expect(Number(row.n)).toBe(1);
  });

  describe('a room of capacity 2', () => {
    async function threeCoachesInOneRoom() {
      const roomId = await createRoom(server, owner, 2);
      const coaches = await Promise.all([0, 1, 2].map(async () => (await coachWithHours(server, owner)).coach));
      for (const coach of coaches) await server.ok(UpdateCoachSettingsDocument, { input: { defaultRoomId: roomId } }, coach);
      return { roomId, coaches, people: await members(3) };
    }
    const inRoom = async (roomId: string) =>
      Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM training_sessions WHERE room_id = $1 AND status <> 'CANCELLED'`, [roomId]))[0].n);

    it('takes two parallel sessions of different coaches and members and refuses a third', async () => {
      const { roomId, coaches, people } = await threeCoachesInOneRoom();
      const start = slotDay().toISOString();
      await server.ok(BookSessionDocument, { input: { coachId: coaches[0].id, startTime: start } }, people[0]);
      await server.ok(BookSessionDocument, { input: { coachId: coaches[1].id, startTime: start } }, people[1]);
      const before = await writeCounts(server);
      expect(errorOf(await book({ coachId: coaches[2].id, startTime: start }, people[2]))).toMatchObject({ code: 'CONFLICT', message: 'The room is full at that time' });
      expect(await writeCounts(server)).toEqual(before);
      expect(await inRoom(roomId)).toBe(2);
      // Back-to-back with both sessions: the room is free again at their end.
      await server.ok(BookSessionDocument, { input: { coachId: coaches[2].id, startTime: plusMinutes(new Date(start), 60).toISOString() } }, people[2]);
    });

    it('takes exactly two of three sessions that arrive at the same moment', async () => {
      const { roomId, coaches, people } = await threeCoachesInOneRoom();
      const start = slotDay().toISOString();
      const results = await Promise.all(coaches.map((coach, i) => book({ coachId: coach.id, startTime: start }, people[i])));
      expect(tally(results)).toEqual({ ok: 2, codes: ['CONFLICT'] });
      expect(await inRoom(roomId)).toBe(2);
    });
  });
});
