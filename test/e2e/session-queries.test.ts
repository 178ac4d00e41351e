import {
  CancelSessionDocument,
  CreateRecurringBookingDocument,
  GenerateSessionsDocument,
  SessionDocument,
  SessionInFullDocument,
  SessionsDocument,
  SessionsInFullDocument,
  StatsDocument,
  type SessionFilter,
} from '../generated/graphql';
import { coachWithRoom, count, DAY, HOUR, nextWeekday, type CoachSetup } from '../support/booking-fixtures';
import { insertSession } from '../support/sessions';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

let server: TestServer;
let owner: TestUser;
let a: CoachSetup;
let b: CoachSetup;
let m1: TestUser;
let m2: TestUser;
let series1: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  [a, b] = [await coachWithRoom(server), await coachWithRoom(server)];
  [m1, m2] = [await server.user('MEMBER'), await server.user('MEMBER')];
  const input = { dayOfWeek: 3, startTime: '18:00', endTime: '19:00', startDate: nextWeekday(3) };
  // Same times for both pairs: many sessions share a startTime, so pages must break ties by id.
  series1 = (await server.ok(CreateRecurringBookingDocument, { input: { ...input, coachId: a.coach.id } }, m1)).createRecurringBooking.id;
  await server.ok(CreateRecurringBookingDocument, { input: { ...input, coachId: b.coach.id } }, m2);
  await server.ok(CreateRecurringBookingDocument, { input: { ...input, dayOfWeek: 4, coachId: b.coach.id } }, m1);
});
afterAll(() => server.stop());

async function ids(sql: string, params: unknown[] = []): Promise<string[]> {
  return (await server.db.query<{ id: string }>(sql, params)).map((r) => r.id);
}

/** Every page of a query, following endCursor. */
async function walk(filter: SessionFilter | undefined, first: number, as: TestUser) {
  const seen: string[] = [];
  let after: string | null | undefined;
  let pages = 0;
  for (;;) {
    const page = (await server.ok(SessionsDocument, { filter, first, after }, as)).sessions;
    pages += 1;
    seen.push(...page.edges.map((e) => e.node.id));
    expect(page.edges.length).toBeLessThanOrEqual(first);
    if (!page.pageInfo.hasNextPage) return { seen, pages, totalCount: page.totalCount };
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
  }
}

describe('session(id)', () => {
  it('shows a session to its member, its coach and owners, with its history; NOT_FOUND to others', async () => {
    const [id] = await ids('SELECT id FROM training_sessions WHERE recurring_booking_id = $1 ORDER BY start_time LIMIT 1', [series1]);
    for (const who of [m1, a.coach, owner]) {
      const session = (await server.ok(SessionDocument, { id }, who)).session!;
      expect(session).toMatchObject({ id, coach: { id: a.coach.id }, member: { id: m1.id }, room: { id: a.roomId }, status: 'SCHEDULED', recurringBooking: { id: series1 } });
      expect(session.history).toEqual([{ from: null, to: 'SCHEDULED', actor: null }]);
    }
    for (const who of [m2, b.coach]) {
      expect(errorOf(await server.request(SessionDocument, { id }, who))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    }
    expect(errorOf(await server.request(SessionDocument, { id: 'nope' }, owner)).code).toBe('NOT_FOUND');
  });
});

describe('sessions(filter, first, after)', () => {
  it('pages through everything in (startTime, id) order, each session once, with the total', async () => {
    const all = await ids('SELECT id FROM training_sessions ORDER BY start_time, id');
    expect(all.length).toBeGreaterThanOrEqual(15);
    const { seen, pages, totalCount } = await walk(undefined, 4, owner);
    expect(seen).toEqual(all);
    expect(totalCount).toBe(all.length);
    expect(pages).toBe(Math.ceil(all.length / 4));
    // Page size 1 crosses every tie of equal start times.
    expect((await walk(undefined, 1, owner)).seen).toEqual(all);
  });

  it('defaults to 50 and allows up to 200', async () => {
    const extra = await server.user('MEMBER');
    for (let i = 0; i < 60; i++) {
      const start = new Date(Date.now() + 60 * DAY + i * HOUR);
      await insertSession(server.db, { coachId: a.coach.id, memberId: extra.id, roomId: a.roomId, start, end: new Date(start.getTime() + HOUR / 2) });
    }
    const filter = { memberId: extra.id };
    const page = (await server.ok(SessionsDocument, { filter }, owner)).sessions;
    expect(page).toMatchObject({ totalCount: 60, pageInfo: { hasNextPage: true } });
    expect(page.edges).toHaveLength(50);
    expect((await server.ok(SessionsDocument, { filter, first: 200 }, owner)).sessions.edges).toHaveLength(60);
  });

  it.each([
    ['first above 200', { first: 201 }, 'first'],
    ['first 0', { first: 0 }, 'first'],
    ['first negative', { first: -5 }, 'first'],
    ['a cursor this server did not issue', { after: 'bm90LWEtY3Vyc29y' }, 'after'],
    ['a cursor that is not base64 JSON', { after: '%%%' }, 'after'],
    ['to not after from', { filter: { from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' } }, 'filter.to'],
    ['a coachId that is not an id', { filter: { coachId: 'coach-abc' } }, 'filter.coachId'],
  ])('refuses %s with BAD_USER_INPUT', async (_label, variables, field) => {
    expect(errorOf(await server.request(SessionsDocument, variables as never, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('shows members their own sessions and coaches theirs; filters narrow, never widen', async () => {
    const m1Total = await count(server.db, 'training_sessions', 'member_id = $1', [m1.id]);
    expect((await walk(undefined, 200, m1)).seen).toEqual(await ids('SELECT id FROM training_sessions WHERE member_id = $1 ORDER BY start_time, id', [m1.id]));
    expect((await server.ok(SessionsDocument, {}, m1)).sessions.totalCount).toBe(m1Total);
    expect((await server.ok(SessionsDocument, { filter: { memberId: m2.id } }, m1)).sessions).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const coachPage = (await server.ok(SessionsDocument, { first: 200 }, b.coach)).sessions;
    expect(coachPage.totalCount).toBe(await count(server.db, 'training_sessions', 'coach_id = $1', [b.coach.id]));
    expect(coachPage.edges.every((e) => e.node.coach.id === b.coach.id)).toBe(true);
    expect((await server.ok(SessionsDocument, { filter: { coachId: a.coach.id } }, b.coach)).sessions.totalCount).toBe(0);
    // A coach narrowing to one member sees that member's sessions with them only.
    expect((await server.ok(SessionsDocument, { filter: { memberId: m1.id } }, b.coach)).sessions.totalCount).toBe(
      await count(server.db, 'training_sessions', 'member_id = $1 AND coach_id = $2', [m1.id, b.coach.id]),
    );
  });

  it('filters by series, status and start time [from, to)', async () => {
    const rows = await server.db.query<{ id: string; start_time: Date }>('SELECT id, start_time FROM training_sessions WHERE recurring_booking_id = $1 ORDER BY start_time', [series1]);
    const bySeries = (await server.ok(SessionsDocument, { filter: { recurringBookingId: series1 } }, owner)).sessions;
    expect(bySeries.edges.map((e) => e.node.id)).toEqual(rows.map((r) => r.id));
    const window = { recurringBookingId: series1, from: rows[1].start_time.toISOString(), to: rows[3].start_time.toISOString() };
    expect((await server.ok(SessionsDocument, { filter: window }, owner)).sessions.edges.map((e) => e.node.id)).toEqual([rows[1].id, rows[2].id]);
    await server.db.query(`UPDATE training_sessions SET status = 'CANCELLED' WHERE id = $1`, [rows[0].id]);
    const cancelled = (await server.ok(SessionsDocument, { filter: { recurringBookingId: series1, status: ['CANCELLED'] } }, owner)).sessions;
    expect(cancelled.edges.map((e) => e.node.id)).toEqual([rows[0].id]);
    const scheduled = (await server.ok(SessionsDocument, { filter: { recurringBookingId: series1, status: ['SCHEDULED', 'COMPLETED'] } }, owner)).sessions;
    expect(scheduled.totalCount).toBe(rows.length - 1);
  });
});

describe('a page shows what session(id) shows', () => {
  it('for every stored field of each node and of its coach, member, room and series', async () => {
    const member = await server.user('MEMBER');
    const c = await coachWithRoom(server);
    const { createRecurringBooking: series } = await server.ok(
      CreateRecurringBookingDocument,
      { input: { coachId: c.coach.id, memberId: member.id, dayOfWeek: 5, startTime: '07:30', endTime: '08:15', startDate: nextWeekday(5), endDate: '2099-12-31', priceCents: 4500, timezone: 'America/New_York' } },
      owner,
    );
    const [first, second] = await ids('SELECT id FROM training_sessions WHERE recurring_booking_id = $1 ORDER BY start_time LIMIT 2', [series.id]);
    await server.ok(CancelSessionDocument, { id: first, reason: 'travel' }, member);
    const start = new Date(Date.now() + 3 * DAY);
    await insertSession(server.db, { coachId: c.coach.id, memberId: member.id, roomId: c.roomId, start, end: new Date(start.getTime() + HOUR) });

    const page = (await server.ok(SessionsInFullDocument, { filter: { memberId: member.id }, first: 50 }, owner)).sessions.edges;
    expect(page.length).toBe(await count(server.db, 'training_sessions', 'member_id = $1', [member.id]));
    const shown = new Map(page.map(({ node }) => [node.id, node]));
    for (const id of [first, second, ...(await ids('SELECT id FROM training_sessions WHERE member_id = $1 AND recurring_booking_id IS NULL', [member.id]))]) {
      expect(shown.get(id)).toEqual((await server.ok(SessionInFullDocument, { id }, owner)).session);
    }
    expect(shown.get(first)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'travel', recurringBooking: { startDate: nextWeekday(5), endDate: '2099-12-31', priceCents: 4500 } });
  });
});

describe('stats', () => {
  it("answers the seed's useful queries for owners, every status listed", async () => {
    const past = new Date(Date.now() - 2 * DAY);
    await insertSession(server.db, { coachId: b.coach.id, memberId: m2.id, roomId: b.roomId, start: past, end: new Date(past.getTime() + HOUR) });
    await server.ok(GenerateSessionsDocument, {}, owner);
    const stats = (await server.ok(StatsDocument, {}, owner)).stats;

    expect(stats.activeRecurringBookings).toBe(await count(server.db, 'recurring_bookings', "status = 'ACTIVE'"));
    const byStatus = await server.db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM training_sessions GROUP BY status');
    expect(stats.sessionsByStatus).toEqual(
      ['SCHEDULED', 'COMPLETED', 'CANCELLED', 'NO_SHOW'].map((status) => ({ status, count: Number(byStatus.find((r) => r.status === status)?.n ?? 0) })),
    );
    expect(stats.sessionsByStatus.find((s) => s.status === 'NO_SHOW')?.count).toBe(0);
    expect(stats.sessionsByStatus.find((s) => s.status === 'COMPLETED')?.count).toBe(1);
    expect(stats.upcomingSessionsNext7Days).toBe(
      await count(server.db, 'training_sessions', "status = 'SCHEDULED' AND start_time BETWEEN now() AND now() + interval '168 hours'"),
    );
    const utilization = await server.db.query<{ coach_id: string; n: string }>(
      "SELECT coach_id, count(*) AS n FROM training_sessions WHERE start_time > now() AND status = 'SCHEDULED' GROUP BY coach_id",
    );
    expect([...stats.coachUtilization].sort((x, y) => x.coach.id.localeCompare(y.coach.id))).toEqual(
      utilization.map((r) => ({ coach: { id: r.coach_id }, bookedSlots: Number(r.n) })).sort((x, y) => x.coach.id.localeCompare(y.coach.id)),
    );
    expect(stats.coachUtilization.map((c) => c.bookedSlots)).toEqual([...stats.coachUtilization.map((c) => c.bookedSlots)].sort((x, y) => y - x));
    expect(stats.lastGenerationRun).toMatchObject({ trigger: 'MUTATION', status: 'SUCCEEDED' });
  });

  it('is for owners only', async () => {
    expect(errorOf(await server.request(StatsDocument, {}, a.coach)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(StatsDocument, {}, m1)).code).toBe('FORBIDDEN');
  });
});
