import type { Actor } from '../../src/auth/actor';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Classes and their enrollments through the services on a real server and PostgreSQL
 * (the GraphQL fields come with the rest of issue 23). Classes start a few days ahead of
 * the real clock, at times no other fixture of this file uses.
 */
let server: TestServer;
let owner: Actor;
let coach: Actor;
let roomId: string;
let classTypeId: string;
const DAY = 86_400_000;
let slot = 0;

/** A whole hour, `days` ahead, distinct for every class of this file. */
function nextStart(days = 5): Date {
  slot += 1;
  const base = Math.ceil((Date.now() + days * DAY) / 3_600_000) * 3_600_000;
  return new Date(base + slot * 2 * 3_600_000);
}

async function members(n: number): Promise<Actor[]> {
  return Promise.all(Array.from({ length: n }, async () => ({ id: (await server.user('MEMBER')).id, role: 'MEMBER' as const })));
}

async function newClass(capacity: number, waitlist: number, start = nextStart()) {
  await server.db.query(`UPDATE class_types SET waitlist_capacity = $1 WHERE id = $2`, [waitlist, classTypeId]);
  return server.app.services.classSessions.schedule(owner, { classTypeId, coachId: coach.id, roomId, startTime: start, capacity });
}

async function statuses(classId: string): Promise<Record<string, string>> {
  const rows = await server.db.query<{ member_id: string; status: string }>(
    `SELECT member_id::text, status::text FROM enrollments WHERE class_session_id = $1 AND status IN ('BOOKED', 'WAITLISTED', 'OFFERED')`, [classId]);
  return Object.fromEntries(rows.map((r) => [r.member_id, r.status]));
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string }) => e.code ?? String(e));

beforeAll(async () => {
  server = await startTestServer();
  owner = { id: (await server.user('OWNER')).id, role: 'OWNER' };
  coach = { id: (await server.user('COACH')).id, role: 'COACH' };
  [{ id: roomId }] = await server.db.query<{ id: string }>(`INSERT INTO rooms (name, capacity) VALUES ('Studio A', 3) RETURNING id::text`);
  [{ id: classTypeId }] = await server.db.query<{ id: string }>(
    `INSERT INTO class_types (name, duration_minutes, capacity) VALUES ('Yoga', 60, 10) RETURNING id::text`);
});
afterAll(() => server.stop());

describe('enrolling', () => {
  it('gives 50 members racing for 10 places exactly 10 places, 20 waitlist places in arrival order, and CONFLICT to the rest', async () => {
    const cls = await newClass(10, 20);
    const racers = await members(50);
    const results = await Promise.all(racers.map((m) => codeOf(server.app.services.enrollments.enroll(m, cls.id))));
    expect(results.filter((r) => r === 'OK')).toHaveLength(30);
    expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(20);

    const rows = await server.db.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM enrollments WHERE class_session_id = $1 GROUP BY status ORDER BY status`, [cls.id]);
    expect(rows).toEqual([{ status: 'BOOKED', n: 10 }, { status: 'WAITLISTED', n: 20 }]);
    // Arrival is the order the class row's lock was granted: every booked member came before every waitlisted one.
    const order = await server.db.query<{ status: string }>(
      `SELECT e.status::text FROM enrollments e JOIN enrollment_status_changes h ON h.enrollment_id = e.id
       WHERE e.class_session_id = $1 ORDER BY e.joined_at, e.arrival`, [cls.id]);
    expect(order.map((o) => o.status)).toEqual([...Array(10).fill('BOOKED'), ...Array(20).fill('WAITLISTED')]);
  });

  it('refuses a member who has a training session at that time, and the database refuses it whatever a writer does', async () => {
    const start = nextStart();
    const cls = await newClass(5, 0, start);
    const [member] = await members(1);
    const otherCoach = await server.user('COACH');
    await server.db.query(
      `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time) VALUES ($1, $2, $3, $4, $5)`,
      [otherCoach.id, member.id, roomId, new Date(start.getTime() + 30 * 60_000), new Date(start.getTime() + 90 * 60_000)]);
    await expect(server.app.services.enrollments.enroll(member, cls.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'The member already has a session or class at that time' });
    await expect(server.db.query(`INSERT INTO enrollments (class_session_id, member_id, status) VALUES ($1, $2, 'BOOKED')`, [cls.id, member.id]))
      .rejects.toMatchObject({ constraint: 'busy_times_member_no_overlap' });
    expect(await statuses(cls.id)).toEqual({});
  });

  it('never lets the database hold more members than places, even written by hand', async () => {
    const cls = await newClass(1, 0);
    const [a, b] = await members(2);
    await server.db.query(`INSERT INTO enrollments (class_session_id, member_id, status) VALUES ($1, $2, 'BOOKED')`, [cls.id, a.id]);
    await expect(server.db.query(`INSERT INTO enrollments (class_session_id, member_id, status) VALUES ($1, $2, 'BOOKED')`, [cls.id, b.id]))
      .rejects.toMatchObject({ constraint: 'class_sessions_within_capacity' });
  });

  it("keeps a class's coach from teaching a training session at the same time", async () => {
    const start = nextStart();
    await newClass(5, 0, start);
    const [member] = await members(1);
    await expect(server.db.query(
      `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time) VALUES ($1, $2, $3, $4, $5)`,
      [coach.id, member.id, roomId, start, new Date(start.getTime() + 60 * 60_000)])).rejects.toMatchObject({ constraint: 'busy_times_coach_no_overlap' });
    await expect(server.app.services.classSessions.schedule(owner, { classTypeId, coachId: coach.id, roomId, startTime: new Date(start.getTime() + 30 * 60_000) }))
      .rejects.toMatchObject({ code: 'CONFLICT', message: 'The coach already has a session at that time' });
  });
});

describe('a freed place', () => {
  it('goes at once to the first waitlisted member who is free then, skipping a busy one who keeps their place in line', async () => {
    const start = nextStart(10);
    const cls = await newClass(1, 5, start);
    const [booked, busy, free] = await members(3);
    const first = await server.app.services.enrollments.enroll(booked, cls.id);
    await server.app.services.enrollments.enroll(busy, cls.id);
    await server.app.services.enrollments.enroll(free, cls.id);
    const otherCoach = await server.user('COACH');
    await server.db.query(
      `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time) VALUES ($1, $2, $3, $4, $5)`,
      [otherCoach.id, busy.id, roomId, start, new Date(start.getTime() + 60 * 60_000)]);

    const cancelled = await server.app.services.enrollments.cancel(booked, first.id);
    expect(cancelled.status).toBe('CANCELLED');
    expect(await statuses(cls.id)).toEqual({ [busy.id]: 'WAITLISTED', [free.id]: 'BOOKED' });
  });

  it('racing cancellations and enrollments fill each freed place exactly once', async () => {
    const cls = await newClass(5, 30, nextStart(12));
    const holders = await members(5);
    const held = [];
    for (const m of holders) held.push(await server.app.services.enrollments.enroll(m, cls.id));
    const waiting = await members(10);
    for (const m of waiting) await server.app.services.enrollments.enroll(m, cls.id);
    const late = await members(10);
    await Promise.all([
      ...held.slice(0, 3).map((e, i) => server.app.services.enrollments.cancel(holders[i], e.id)),
      ...late.map((m) => server.app.services.enrollments.enroll(m, cls.id)),
    ]);
    const now = await statuses(cls.id);
    const booked = Object.entries(now).filter(([, s]) => s === 'BOOKED').map(([id]) => id);
    expect(booked).toHaveLength(5);
    // The three freed places went to the first three of the line, never to a latecomer.
    expect(booked.sort()).toEqual([...holders.slice(3).map((m) => m.id), ...waiting.slice(0, 3).map((m) => m.id)].sort());
  });

  it('from a capacity raise promotes in line order; lowering below the places taken is a CONFLICT', async () => {
    const cls = await newClass(2, 5, nextStart(14));
    const ms = await members(5);
    for (const m of ms) await server.app.services.enrollments.enroll(m, cls.id);
    await expect(server.app.services.classSessions.changeCapacity(owner, cls.id, 1)).rejects.toMatchObject({ code: 'CONFLICT' });
    const { promotion } = await server.app.services.classSessions.changeCapacity(owner, cls.id, 4);
    expect(promotion?.booked).toHaveLength(2);
    expect(await statuses(cls.id)).toEqual({ [ms[0].id]: 'BOOKED', [ms[1].id]: 'BOOKED', [ms[2].id]: 'BOOKED', [ms[3].id]: 'BOOKED', [ms[4].id]: 'WAITLISTED' });
  });

  it('after the cutoff is offered to one member, with an expiry, and a decline moves it on', async () => {
    // Cutoff: the late-cancel window (24 h by default) + 60 minutes; this class starts in 3 hours.
    const start = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 3_600_000) * 3_600_000 + 17 * 60_000);
    const cls = await newClass(1, 5, start);
    const [a, b, c] = await members(3);
    const held = await server.app.services.enrollments.enroll(a, cls.id);
    const second = await server.app.services.enrollments.enroll(b, cls.id);
    const third = await server.app.services.enrollments.enroll(c, cls.id);
    await server.app.services.enrollments.cancel(owner, held.id);
    const offered = await server.db.query<{ status: string; offer_expires_at: Date }>(`SELECT status::text, offer_expires_at FROM enrollments WHERE id = $1`, [second.id]);
    expect(offered[0].status).toBe('OFFERED');
    expect(offered[0].offer_expires_at.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(offered[0].offer_expires_at.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    await expect(server.app.services.enrollments.acceptOffer(c, third.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await server.app.services.enrollments.declineOffer(b, second.id);
    expect(await statuses(cls.id)).toEqual({ [c.id]: 'OFFERED' });
    const accepted = await server.app.services.enrollments.acceptOffer(c, third.id);
    expect(accepted.status).toBe('BOOKED');
  });
});
