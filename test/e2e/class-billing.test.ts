import {
  AcceptClassOfferDocument,
  CancelEnrollmentDocument,
  CreateClassTypeDocument,
  EnrollInClassDocument,
  GrantCreditPackDocument,
  MarkAttendanceDocument,
  MemberStatementDocument,
  RevenueReportDocument,
  ScheduleClassDocument,
  type ClassTypeInput,
} from '../generated/graphql';
import { today } from '../support/booking-fixtures';
import { createRoom } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Money for classes through the API, on a server whose clock the spec moves into (and
 * after) each class: attendance lines, fees, corrections and the automatic waiver of a
 * late-cancel fee whose place is filled again. Studio defaults: 24 h window, 100% fees.
 */
const HOUR = 3_600_000;
let clock = Date.now();
let server: TestServer;
let owner: TestUser;
let roomId: string;
let slot = 0;
let types = 0;

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  owner = await server.user('OWNER');
  roomId = await createRoom(server, owner, 100);
});
afterAll(() => server.stop());
afterEach(() => {
  clock = Date.now();
});

async function newClass(type: Partial<ClassTypeInput>, hoursAhead = 72) {
  slot += 1;
  types += 1;
  const classTypeId = (await server.ok(CreateClassTypeDocument, { input: { name: `Paid ${types}`, durationMinutes: 60, capacity: 2, waitlistCapacity: 2, ...type } }, owner)).createClassType.id;
  const coach = await server.user('COACH');
  const start = new Date(Math.ceil((clock + hoursAhead * HOUR) / HOUR) * HOUR + slot * 60_000);
  const cls = (await server.ok(ScheduleClassDocument, { input: { classTypeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
  return { ...cls, coach, start };
}

const enroll = async (classId: string, member: TestUser) => (await server.ok(EnrollInClassDocument, { sessionId: classId }, member)).enrollInClass;
const mark = (enrollmentId: string, status: 'ATTENDED' | 'NO_SHOW') => server.ok(MarkAttendanceDocument, { enrollmentId, status }, owner);

/** Lines from today (real) to the clock's day: packs are sold before the clock moves into a class. */
async function statement(member: TestUser) {
  const data = await server.ok(MemberStatementDocument, { memberId: member.id, from: today('UTC'), to: today('UTC', new Date(clock)) }, owner);
  return data.memberStatement;
}
const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
/** [kind, amount] of every line, as a sorted set (lines written together share a time). */
const amounts = async (member: TestUser) => sorted((await lines(member)).map(([kind, amount]) => [kind, amount]));
const lines = async (member: TestUser) =>
  (await statement(member)).charges.map((c) => [c.kind, c.amountCents, c.paidWithCredit, c.enrollment?.id ?? null, c.description]);

describe('attendance', () => {
  it("charges the class's price, or its credits from a pack; a no-show the fee; corrections reverse and reinstate", async () => {
    const cls = await newClass({ priceCents: 2000, creditsPerClass: 2 });
    const [payer, packHolder] = [await server.user('MEMBER'), await server.user('MEMBER')];
    await server.ok(GrantCreditPackDocument, { input: { memberId: packHolder.id, credits: 3, priceCents: 5000 } }, owner);
    const a = await enroll(cls.id, payer);
    const b = await enroll(cls.id, packHolder);
    clock = cls.start.getTime() + 10 * 60_000;

    await mark(a.id, 'ATTENDED');
    await mark(b.id, 'ATTENDED');
    expect(await lines(payer)).toEqual([['CLASS', 2000, false, a.id, expect.stringContaining('Class: Paid')]]);
    const held = await statement(packHolder);
    expect(held.charges.map((c) => [c.kind, c.amountCents, c.paidWithCredit, c.creditPack?.remaining])).toEqual([
      ['PACK_PURCHASE', 5000, false, 1],
      ['CLASS', 0, true, 1],
    ]);
    expect(held.charges[1].description).toContain('paid with 2 pack credits');

    // A minute between corrections: the statement lists lines by time.
    clock += 60_000;
    await mark(a.id, 'NO_SHOW');
    clock += 60_000;
    await mark(a.id, 'ATTENDED');
    // Each correction: a reversal of what stood and the new line (the two of one correction share a time).
    expect(await amounts(payer)).toEqual(sorted([['CLASS', 2000], ['ADJUSTMENT', -2000], ['NO_SHOW_FEE', 2000], ['ADJUSTMENT', -2000], ['ADJUSTMENT', 2000]]));
    expect((await statement(payer)).totalCents).toBe(2000);

    const revenue = (await server.ok(RevenueReportDocument, { from: today('UTC', new Date(clock)), to: today('UTC', new Date(clock)) }, owner)).revenueReport;
    expect(revenue.find((r) => r.coach.id === cls.coach.id)).toEqual({ coach: { id: cls.coach.id }, sessions: 0, sessionCents: 0, classes: 2, classCents: 2000, feeCents: 0, totalCents: 2000 });
  });
});

describe('a late cancellation', () => {
  it('is charged the fee, which stands while the place is only offered and is waived when the offer is accepted', async () => {
    const cls = await newClass({ priceCents: 1500, capacity: 1 });
    const [late, waiting] = [await server.user('MEMBER'), await server.user('MEMBER')];
    const mine = await enroll(cls.id, late);
    const offered = await enroll(cls.id, waiting);
    clock = cls.start.getTime() - 2 * HOUR;
    const cancelled = (await server.ok(CancelEnrollmentDocument, { id: mine.id }, late)).cancelEnrollment;
    expect(cancelled.status).toBe('LATE_CANCELLED');
    expect((await lines(late)).map(([kind, amount]) => [kind, amount])).toEqual([['LATE_CANCEL_FEE', 1500]]);
    // Two hours before the start is after the cutoff: the place is offered, not yet taken.
    clock += 60_000;
    await server.ok(AcceptClassOfferDocument, { enrollmentId: offered.id }, waiting);
    expect((await lines(late)).map(([kind, amount, , enrollment, description]) => [kind, amount, enrollment, description])).toEqual([
      ['LATE_CANCEL_FEE', 1500, mine.id, expect.stringContaining('Class late cancellation fee')],
      ['ADJUSTMENT', -1500, mine.id, expect.stringContaining('Waived (the place was filled again)')],
    ]);
  });

  it('stands while the place is empty, and is waived when someone takes it before the start', async () => {
    const cls = await newClass({ priceCents: 1000, capacity: 1, waitlistCapacity: 0 });
    const late = await server.user('MEMBER');
    const mine = await enroll(cls.id, late);
    clock = cls.start.getTime() - 3 * HOUR;
    await server.ok(CancelEnrollmentDocument, { id: mine.id }, late);
    expect((await lines(late)).map(([kind, amount]) => [kind, amount])).toEqual([['LATE_CANCEL_FEE', 1000]]);
    await enroll(cls.id, await server.user('MEMBER'));
    expect(await amounts(late)).toEqual(sorted([['LATE_CANCEL_FEE', 1000], ['ADJUSTMENT', -1000]]));
  });

  it('by staff, or outside the window, costs nothing', async () => {
    const cls = await newClass({ priceCents: 1000 }, 72);
    const [early, byStaff] = [await server.user('MEMBER'), await server.user('MEMBER')];
    const e1 = await enroll(cls.id, early);
    const e2 = await enroll(cls.id, byStaff);
    await server.ok(CancelEnrollmentDocument, { id: e1.id }, early);
    clock = cls.start.getTime() - HOUR;
    await server.ok(CancelEnrollmentDocument, { id: e2.id }, owner);
    expect(await lines(early)).toEqual([]);
    expect(await lines(byStaff)).toEqual([]);
  });
});
