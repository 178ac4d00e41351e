import {
  CancelEnrollmentDocument,
  ClassSessionDocument,
  CreateClassTypeDocument,
  EnrollInClassDocument,
  ScheduleClassDocument,
  UpdateWaitlistPolicyDocument,
} from '../generated/graphql';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createRoom } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * The waitlist's clock: offers that lapse, lines that close when the class starts, offers
 * held back in quiet hours. Two instances share one database and a clock the spec moves;
 * the workers are kicked where a real one would wake (its timer or poll).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let clock = Date.now();
const now = () => new Date(clock);
let db: TestDatabase;
let a: TestServer;
let b: TestServer;
let owner: TestUser;
let roomId: string;
let typeId: string;
let slot = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  // Polls far apart: only the spec's kicks (and due-time timers, which follow the moved clock) run the workers.
  const env = { OUTBOX_POLL_INTERVAL_MS: '600000' };
  a = await startTestServer({ db, now, env });
  b = await startTestServer({ db, now, env });
  owner = await a.user('OWNER');
  roomId = await createRoom(a, owner, 100);
  typeId = (await a.ok(CreateClassTypeDocument, { input: { name: 'HIIT', durationMinutes: 45, capacity: 1, waitlistCapacity: 5 } }, owner)).createClassType.id;
});
afterAll(async () => {
  await a.stop();
  await b.stop();
  await db.drop();
});
afterEach(() => {
  clock = Date.now();
});

/** A class inside the offer window (the default cutoff is 25 h), about 3 hours after the clock, with a coach of its own. */
async function classSoon() {
  slot += 1;
  const start = new Date(Math.ceil((clock + 3 * HOUR) / HOUR) * HOUR + slot * MINUTE);
  const coach = await a.user('COACH');
  return (await a.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
}

async function line(classId: string, n: number) {
  const people = [];
  for (let i = 0; i < n; i++) {
    const member = await a.user('MEMBER');
    people.push({ member, enrollment: (await a.ok(EnrollInClassDocument, { sessionId: classId }, member)).enrollInClass });
  }
  return people;
}

async function sweep() {
  await Promise.all([a, b].map(async (s) => {
    s.app.waitlist.kick();
    await s.app.waitlist.idle();
  }));
}

const statusOf = async (id: string) => (await db.query<{ status: string }>(`SELECT status::text FROM enrollments WHERE id = $1`, [id]))[0].status;
const changesTo = (id: string, to: string) => db.query(`SELECT 1 FROM enrollment_status_changes WHERE enrollment_id = $1 AND to_status = $2::"EnrollmentStatus"`, [id, to]);

describe('an offer', () => {
  it('lapses at its expiry, and the place is offered to the next in line', async () => {
    const cls = await classSoon();
    const [holder, first, second] = await line(cls.id, 3);
    await a.ok(CancelEnrollmentDocument, { id: holder.enrollment.id }, holder.member);
    const offer = (await a.ok(ClassSessionDocument, { id: cls.id }, first.member)).classSession?.myEnrollment;
    expect(offer?.status).toBe('OFFERED');

    clock = new Date(offer?.offerExpiresAt ?? 0).getTime() - 1_000;
    await sweep();
    expect(await statusOf(first.enrollment.id)).toBe('OFFERED');

    clock += 2_000;
    await sweep();
    expect(await statusOf(first.enrollment.id)).toBe('EXPIRED');
    expect(await statusOf(second.enrollment.id)).toBe('OFFERED');
    const next = (await a.ok(ClassSessionDocument, { id: cls.id }, second.member)).classSession?.myEnrollment;
    expect(new Date(next?.offerExpiresAt ?? 0).getTime()).toBe(clock + 30 * MINUTE);
  });

  it('lapses exactly once with two instances sweeping 40 classes at the same moment', async () => {
    const classes = [];
    for (let i = 0; i < 40; i++) classes.push(await classSoon());
    const firsts = [];
    for (const cls of classes) {
      const [holder, first] = await line(cls.id, 3);
      await a.ok(CancelEnrollmentDocument, { id: holder.enrollment.id }, owner);
      firsts.push(first.enrollment.id);
    }
    clock += 31 * MINUTE;
    await sweep();
    for (const id of firsts) expect(await changesTo(id, 'EXPIRED')).toHaveLength(1);
    const [{ offered }] = await db.query<{ offered: number }>(
      `SELECT count(*)::int AS offered FROM enrollments WHERE status = 'OFFERED' AND class_session_id = ANY($1::uuid[])`, [classes.map((c) => c.id)]);
    expect(offered).toBe(40);
  });
});

describe('when a class starts', () => {
  it('every open offer and waitlist entry expires', async () => {
    const cls = await classSoon();
    const [holder, offered, waiting] = await line(cls.id, 3);
    await a.ok(CancelEnrollmentDocument, { id: holder.enrollment.id }, holder.member);
    expect(await statusOf(offered.enrollment.id)).toBe('OFFERED');
    clock = new Date(cls.startTime).getTime();
    await sweep();
    expect([await statusOf(offered.enrollment.id), await statusOf(waiting.enrollment.id)]).toEqual(['EXPIRED', 'EXPIRED']);
    const [reason] = await db.query<{ reason: string }>(`SELECT reason FROM enrollment_status_changes WHERE enrollment_id = $1 AND to_status = 'EXPIRED'`, [waiting.enrollment.id]);
    expect(reason.reason).toBe('the class started');
  });
});

describe('quiet hours', () => {
  it('hold a freed place back until they end, then offer it with a full clock', async () => {
    // Quiet from the current minute for two hours (studio timezone UTC in tests).
    const at = new Date(clock);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const quietEnd = new Date(Math.floor(clock / MINUTE) * MINUTE + 2 * HOUR);
    await a.ok(UpdateWaitlistPolicyDocument, { waitlist: { quietHoursStart: hhmm(at), quietHoursEnd: hhmm(quietEnd) } }, owner);
    try {
      const cls = await classSoon();
      const [holder, first] = await line(cls.id, 2);
      await a.ok(CancelEnrollmentDocument, { id: holder.enrollment.id }, holder.member);
      await sweep();
      expect(await statusOf(first.enrollment.id)).toBe('WAITLISTED');

      clock = quietEnd.getTime();
      await sweep();
      const offer = (await a.ok(ClassSessionDocument, { id: cls.id }, first.member)).classSession?.myEnrollment;
      expect(offer).toMatchObject({ status: 'OFFERED', offerExpiresAt: new Date(quietEnd.getTime() + 30 * MINUTE).toISOString() });
      expect(await changesTo(first.enrollment.id, 'OFFERED')).toHaveLength(1);
    } finally {
      await a.ok(UpdateWaitlistPolicyDocument, { waitlist: { quietHoursStart: null, quietHoursEnd: null } }, owner);
    }
  });
});
