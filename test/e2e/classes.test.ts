import {
  AcceptClassOfferDocument,
  BookSessionDocument,
  CancelClassSessionDocument,
  CancelEnrollmentDocument,
  ChangeClassCapacityDocument,
  ClassRosterDocument,
  ClassSessionDocument,
  ClassSessionsDocument,
  ClassTypesDocument,
  CreateClassTypeDocument,
  DeclineClassOfferDocument,
  EnrollInClassDocument,
  EnrollmentsDocument,
  ScheduleClassDocument,
  UpdateClassTypeDocument,
  UpdateWaitlistPolicyDocument,
  WaitlistPolicyDocument,
  type ClassTypeInput,
  type ScheduleClassInput,
} from '../generated/graphql';
import { coachWithHours, createRoom } from '../support/schedule';
import { errorOf, startTestServer, type GraphqlResponse, type TestServer, type TestUser } from '../support/server';

/**
 * Group classes over HTTP: class types, one-off classes, enrollment with its waitlist and
 * offers, rosters by reader. Classes need no coach hours, so every class here starts at a
 * whole hour some days ahead of the real clock, a distinct one each (any weekday works).
 */
let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let roomId: string;
let yogaId: string;
let slot = 0;
const HOUR = 3_600_000;

function nextStart(daysAhead = 5): Date {
  slot += 1;
  return new Date(Math.ceil((Date.now() + daysAhead * 24 * HOUR) / HOUR) * HOUR + slot * 2 * HOUR);
}

const members = (n: number) => Promise.all(Array.from({ length: n }, () => server.user('MEMBER')));
let types = 0;
const typeInput = (over: Partial<ClassTypeInput> = {}): ClassTypeInput => ({ name: `Class ${(types += 1)}`, durationMinutes: 60, capacity: 10, ...over });

async function newClass(capacity: number, waitlistCapacity: number, start = nextStart()) {
  const type = await server.ok(CreateClassTypeDocument, { input: typeInput({ capacity, waitlistCapacity }) }, owner);
  const data = await server.ok(ScheduleClassDocument, { input: { classTypeId: type.createClassType.id, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner);
  return data.scheduleClass;
}

const enroll = (sessionId: string, as: TestUser, memberId?: string) => server.request(EnrollInClassDocument, { sessionId, memberId }, as);

async function enrolled(sessionId: string, as: TestUser, memberId?: string) {
  return (await server.ok(EnrollInClassDocument, { sessionId, memberId }, as)).enrollInClass;
}

async function roster(id: string, as: TestUser = owner) {
  const data = await server.ok(ClassRosterDocument, { id }, as);
  return data.classSession?.enrollments ?? [];
}

async function counts() {
  const [row] = await server.db.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM class_types) AS types, (SELECT count(*) FROM class_sessions) AS classes,
           (SELECT count(*) FROM enrollments) AS enrollments, (SELECT count(*) FROM enrollment_status_changes) AS history`);
  return row;
}

const codeOf = (r: GraphqlResponse<unknown>) => (r.errors?.length ? errorOf(r).code : 'OK');

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  coach = await server.user('COACH');
  roomId = await createRoom(server, owner, 2);
  yogaId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Yoga', description: 'Slow flow', durationMinutes: 75, capacity: 12, waitlistCapacity: 4, priceCents: 1800 } }, owner)).createClassType.id;
});
afterAll(() => server.stop());

describe('class types', () => {
  it('are created by owners with the contract defaults, listed by name, and archived out of the list', async () => {
    const { createClassType: pilates } = await server.ok(CreateClassTypeDocument, { input: { name: '  Pilates ', durationMinutes: 45, capacity: 8 } }, owner);
    expect(pilates).toEqual({
      id: expect.any(String), name: 'Pilates', description: null, durationMinutes: 45, capacity: 8,
      waitlistCapacity: 0, priceCents: null, creditsPerClass: 1, archived: false,
    });
    const { updateClassType } = await server.ok(UpdateClassTypeDocument, { input: { id: pilates.id, capacity: 9, priceCents: 1500, archived: true } }, owner);
    expect(updateClassType).toMatchObject({ name: 'Pilates', capacity: 9, priceCents: 1500, durationMinutes: 45, archived: true });

    const listed = (await server.ok(ClassTypesDocument, {}, coach)).classTypes.map((t) => t.name);
    expect(listed).toContain('Yoga');
    expect(listed).not.toContain('Pilates');
    expect((await server.ok(ClassTypesDocument, { includeArchived: true }, owner)).classTypes.map((t) => t.name)).toContain('Pilates');
  });

  it('refuse a second live type of the same name in any case, and every bad field by name, writing nothing', async () => {
    const before = await counts();
    const cases: [Partial<ClassTypeInput>, string][] = [
      [{ name: '   ' }, 'input.name'],
      [{ durationMinutes: 10 }, 'input.durationMinutes'],
      [{ durationMinutes: 481 }, 'input.durationMinutes'],
      [{ capacity: 0 }, 'input.capacity'],
      [{ capacity: 501 }, 'input.capacity'],
      [{ waitlistCapacity: -1 }, 'input.waitlistCapacity'],
      [{ priceCents: -5 }, 'input.priceCents'],
      [{ creditsPerClass: 11 }, 'input.creditsPerClass'],
    ];
    for (const [over, field] of cases) {
      expect(errorOf(await server.request(CreateClassTypeDocument, { input: typeInput(over) }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(errorOf(await server.request(CreateClassTypeDocument, { input: typeInput({ name: 'YOGA' }) }, owner)))
      .toEqual({ code: 'CONFLICT', field: undefined, message: 'A class type with that name already exists' });
    expect(errorOf(await server.request(UpdateClassTypeDocument, { input: { id: yogaId, capacity: 0 } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.capacity' });
    expect(errorOf(await server.request(UpdateClassTypeDocument, { input: { id: 'nope' } }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'input.id' });
    expect(errorOf(await server.request(CreateClassTypeDocument, { input: typeInput() }, coach))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await counts()).toEqual(before);
  });
});

describe('scheduling a one-off class', () => {
  it("copies the class type's duration and places, and takes the coach's default room when none is given", async () => {
    const { coach: other, roomId: defaultRoom } = await coachWithHours(server, owner, { roomCapacity: 1 });
    const start = nextStart();
    const { scheduleClass } = await server.ok(ScheduleClassDocument, { input: { classTypeId: yogaId, coachId: other.id, startTime: start.toISOString() } }, other);
    expect(scheduleClass).toEqual({
      id: expect.any(String), classType: { id: yogaId, name: 'Yoga' }, coach: { id: other.id }, room: { id: defaultRoom },
      startTime: start.toISOString(), endTime: new Date(start.getTime() + 75 * 60_000).toISOString(),
      status: 'SCHEDULED', cancellationReason: null, capacity: 12, bookedCount: 0, waitlistCount: 0, spotsLeft: 12,
    });
  });

  it('refuses bad input by field, another coach\'s class for a coach, and a coach who is teaching then, writing nothing', async () => {
    const start = nextStart();
    await server.ok(ScheduleClassDocument, { input: { classTypeId: yogaId, coachId: coach.id, roomId, startTime: start.toISOString() } }, coach);
    const someoneElse = await server.user('COACH');
    const before = await counts();
    const base: ScheduleClassInput = { classTypeId: yogaId, coachId: coach.id, roomId, startTime: nextStart().toISOString() };
    const cases: [Partial<ScheduleClassInput>, string, string][] = [
      [{ startTime: new Date(Date.now() - HOUR).toISOString() }, 'BAD_USER_INPUT', 'input.startTime'],
      [{ startTime: new Date(nextStart().getTime() + 30_000).toISOString() }, 'BAD_USER_INPUT', 'input.startTime'],
      [{ durationMinutes: 5 }, 'BAD_USER_INPUT', 'input.durationMinutes'],
      [{ capacity: 0 }, 'BAD_USER_INPUT', 'input.capacity'],
      [{ classTypeId: 'nope' }, 'NOT_FOUND', 'input.classTypeId'],
      [{ roomId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'input.roomId'],
      [{ coachId: owner.id }, 'NOT_FOUND', 'input.coachId'],
      [{ coachId: someoneElse.id }, 'FORBIDDEN', undefined as never],
    ];
    for (const [over, code, field] of cases) {
      const result = await server.request(ScheduleClassDocument, { input: { ...base, ...over } }, coach);
      expect(errorOf(result)).toMatchObject(field ? { code, field } : { code });
    }
    const clash = await server.request(ScheduleClassDocument, { input: { ...base, startTime: new Date(start.getTime() + 30 * 60_000).toISOString() } }, owner);
    expect(errorOf(clash)).toMatchObject({ code: 'CONFLICT', message: 'The coach already has a session at that time' });
    expect(errorOf(await server.request(ScheduleClassDocument, { input: base }, await server.user('MEMBER')))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await counts()).toEqual(before);
  });
});

describe('enrolling', () => {
  it('gives 50 members racing over HTTP exactly 10 places, 20 waitlist places in arrival order, and CONFLICT to the rest', async () => {
    const cls = await newClass(10, 20);
    const racers = await members(50);
    const results = await Promise.all(racers.map((m) => enroll(cls.id, m)));
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(30);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(20);
    expect(results.filter((r) => r.errors).map((r) => errorOf(r).message)).toEqual(Array(20).fill('The class and its waitlist are full'));

    const statuses = results.flatMap((r) => (r.data ? [r.data.enrollInClass.status] : []));
    expect(statuses.filter((s) => s === 'BOOKED')).toHaveLength(10);
    const list = await roster(cls.id);
    const waitlisted = list.filter((e) => e.status === 'WAITLISTED');
    expect(waitlisted.map((e) => e.waitlistPosition)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Roster order is arrival order: every booked member came before every waitlisted one.
    expect(list.map((e) => e.status)).toEqual([...Array(10).fill('BOOKED'), ...Array(20).fill('WAITLISTED')]);
    expect((await server.ok(ClassSessionDocument, { id: cls.id }, racers[0])).classSession).toMatchObject({ bookedCount: 10, waitlistCount: 20, spotsLeft: 0 });
  });

  it('shows members only their own row of a roster, the class coach and owners everyone', async () => {
    const cls = await newClass(3, 0);
    const [a, b] = await members(2);
    const mine = await enrolled(cls.id, a);
    await enrolled(cls.id, coach, b.id);
    expect((await roster(cls.id, a)).map((e) => e.member.id)).toEqual([a.id]);
    expect((await roster(cls.id, await server.user('COACH')))).toEqual([]);
    expect((await roster(cls.id, coach)).map((e) => e.member.id)).toEqual([a.id, b.id]);
    expect((await server.ok(ClassRosterDocument, { id: cls.id, status: ['WAITLISTED'] }, owner)).classSession?.enrollments).toEqual([]);
    const seen = await server.ok(ClassSessionDocument, { id: cls.id }, a);
    expect(seen.classSession?.myEnrollment).toMatchObject({ id: mine.id, status: 'BOOKED', waitlistPosition: null });
    expect((await server.ok(ClassSessionDocument, { id: cls.id }, owner)).classSession?.myEnrollment).toBeNull();
  });

  it('refuses a member who is booked elsewhere then, twice in one class, or enrolling someone else, writing nothing', async () => {
    const { coach: trainer } = await coachWithHours(server, owner, { from: '00:00', to: '23:59' });
    const [member, other] = await members(2);
    const start = nextStart(3);
    await server.ok(BookSessionDocument, { input: { coachId: trainer.id, startTime: new Date(start.getTime() + 30 * 60_000).toISOString() } }, member);
    const cls = await newClass(5, 0, start);
    const second = await newClass(5, 0);
    await enrolled(second.id, member);
    const before = await counts();
    expect(errorOf(await enroll(cls.id, member))).toEqual({ code: 'CONFLICT', field: undefined, message: 'The member already has a session or class at that time' });
    expect(errorOf(await enroll(second.id, member))).toMatchObject({ code: 'CONFLICT', message: 'The member is already enrolled in this class' });
    expect(errorOf(await enroll(second.id, member, other.id))).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(await enroll(second.id, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberId' });
    expect(errorOf(await enroll(second.id, owner, coach.id))).toMatchObject({ code: 'NOT_FOUND', field: 'memberId' });
    expect(errorOf(await enroll(second.id, await server.user('COACH'), member.id))).toMatchObject({ code: 'NOT_FOUND', field: 'sessionId' });
    expect(errorOf(await enroll('nope', member))).toMatchObject({ code: 'NOT_FOUND', field: 'sessionId' });
    expect(await counts()).toEqual(before);
  });
});

describe('a freed place', () => {
  it('goes to the first in line when a member cancels, with the history saying who did what', async () => {
    const cls = await newClass(1, 3);
    const [a, b, c] = await members(3);
    const first = await enrolled(cls.id, a);
    const second = await enrolled(cls.id, b);
    const third = await enrolled(cls.id, c);
    expect([second.waitlistPosition, third.waitlistPosition]).toEqual([1, 2]);

    const { cancelEnrollment } = await server.ok(CancelEnrollmentDocument, { id: first.id, reason: 'away' }, a);
    expect(cancelEnrollment).toMatchObject({ status: 'CANCELLED', history: [{ from: null, to: 'BOOKED', actor: { id: a.id }, reason: null }, { from: 'BOOKED', to: 'CANCELLED', actor: { id: a.id }, reason: 'away' }] });
    const list = await roster(cls.id);
    expect(list.filter((e) => e.status !== 'CANCELLED').map((e) => [e.member.id, e.status, e.waitlistPosition])).toEqual([[b.id, 'BOOKED', null], [c.id, 'WAITLISTED', 1]]);
    expect(errorOf(await server.request(CancelEnrollmentDocument, { id: first.id }, a))).toMatchObject({ code: 'CONFLICT', message: 'The enrollment is already CANCELLED' });
    expect(errorOf(await server.request(CancelEnrollmentDocument, { id: third.id }, b))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('after the cutoff is offered to one member at a time: only they answer it, a decline moves it on, an accept books it', async () => {
    // The default cutoff is the late-cancel window (24 h) + 60 minutes: this class starts in about 3 hours.
    const cls = await newClass(1, 3, new Date(Math.ceil((Date.now() + 3 * HOUR) / HOUR) * HOUR + 23 * 60_000));
    const [a, b, c] = await members(3);
    const held = await enrolled(cls.id, a);
    const second = await enrolled(cls.id, b);
    const third = await enrolled(cls.id, c);
    await server.ok(CancelEnrollmentDocument, { id: held.id }, owner);
    const offer = (await server.ok(ClassSessionDocument, { id: cls.id }, b)).classSession?.myEnrollment;
    expect(offer).toMatchObject({ id: second.id, status: 'OFFERED', waitlistPosition: null });
    const expiresIn = new Date(offer?.offerExpiresAt ?? 0).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 60_000);
    expect((await server.ok(ClassSessionDocument, { id: cls.id }, owner)).classSession).toMatchObject({ bookedCount: 1, spotsLeft: 0, waitlistCount: 1 });

    expect(errorOf(await server.request(AcceptClassOfferDocument, { enrollmentId: second.id }, c))).toMatchObject({ code: 'NOT_FOUND', field: 'enrollmentId' });
    expect(errorOf(await server.request(AcceptClassOfferDocument, { enrollmentId: third.id }, c))).toMatchObject({ code: 'CONFLICT', message: 'There is no open offer for this enrollment' });
    expect(errorOf(await server.request(AcceptClassOfferDocument, { enrollmentId: second.id }, owner))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await server.ok(DeclineClassOfferDocument, { enrollmentId: second.id }, b)).declineClassOffer.status).toBe('CANCELLED');
    expect((await server.ok(AcceptClassOfferDocument, { enrollmentId: third.id }, c)).acceptClassOffer).toMatchObject({ status: 'BOOKED', offerExpiresAt: null });
    expect((await server.ok(ClassSessionDocument, { id: cls.id }, owner)).classSession).toMatchObject({ bookedCount: 1, waitlistCount: 0 });
  });

  it('from a capacity raise promotes in line order; lower than the places taken is a CONFLICT, out of range a BAD_USER_INPUT', async () => {
    const cls = await newClass(2, 5);
    const ms = await members(4);
    for (const m of ms) await enrolled(cls.id, m);
    expect(errorOf(await server.request(ChangeClassCapacityDocument, { id: cls.id, capacity: 1 }, coach))).toMatchObject({ code: 'CONFLICT', message: '2 places are taken: the capacity cannot be lower' });
    expect(errorOf(await server.request(ChangeClassCapacityDocument, { id: cls.id, capacity: 0 }, coach))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'capacity' });
    expect(errorOf(await server.request(ChangeClassCapacityDocument, { id: cls.id, capacity: 3 }, await server.user('COACH')))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const { changeClassCapacity } = await server.ok(ChangeClassCapacityDocument, { id: cls.id, capacity: 3 }, coach);
    expect(changeClassCapacity).toMatchObject({ capacity: 3, bookedCount: 3, waitlistCount: 1, spotsLeft: 0 });
    expect((await roster(cls.id)).map((e) => [e.member.id, e.status])).toEqual([[ms[0].id, 'BOOKED'], [ms[1].id, 'BOOKED'], [ms[2].id, 'BOOKED'], [ms[3].id, 'WAITLISTED']]);
  });
});

describe('cancelling a class', () => {
  it('cancels every open enrollment with the reason, and nobody can enroll after', async () => {
    const cls = await newClass(1, 2);
    const [a, b, c] = await members(3);
    await enrolled(cls.id, a);
    await enrolled(cls.id, b);
    expect(errorOf(await server.request(CancelClassSessionDocument, { id: cls.id, reason: '  ' }, coach))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const { cancelClassSession } = await server.ok(CancelClassSessionDocument, { id: cls.id, reason: 'Coach is ill' }, coach);
    expect(cancelClassSession).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Coach is ill', bookedCount: 0, waitlistCount: 0 });
    expect((await roster(cls.id)).map((e) => e.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(errorOf(await enroll(cls.id, c))).toMatchObject({ code: 'CONFLICT', message: 'The class is not open for enrollment' });
    expect(errorOf(await server.request(CancelClassSessionDocument, { id: cls.id, reason: 'again' }, owner))).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('the timetable', () => {
  it('pages classes by start with the filters, counting places in the same read; available means a free place or waitlist place', async () => {
    const { createClassType: type } = await server.ok(CreateClassTypeDocument, { input: typeInput({ capacity: 1, waitlistCapacity: 1 }) }, owner);
    const starts = [nextStart(20), nextStart(20), nextStart(20)];
    const ids: string[] = [];
    for (const start of starts) {
      ids.push((await server.ok(ScheduleClassDocument, { input: { classTypeId: type.id, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass.id);
    }
    const [a, b] = await members(2);
    await enrolled(ids[0], a);
    await enrolled(ids[0], b); // full, waitlist full
    await enrolled(ids[1], a); // full, waitlist free
    const filter = { classTypeId: type.id };
    const page1 = (await server.ok(ClassSessionsDocument, { filter, first: 2 }, a)).classSessions;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e) => [e.node.id, e.node.bookedCount, e.node.waitlistCount, e.node.spotsLeft])).toEqual([[ids[0], 1, 1, 0], [ids[1], 1, 0, 0]]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });
    const page2 = (await server.ok(ClassSessionsDocument, { filter, first: 2, after: page1.pageInfo.endCursor }, a)).classSessions;
    expect(page2.edges.map((e) => e.node.id)).toEqual([ids[2]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const available = (await server.ok(ClassSessionsDocument, { filter: { ...filter, available: true } }, a)).classSessions;
    expect(available.edges.map((e) => e.node.id)).toEqual([ids[1], ids[2]]);
    const window = { ...filter, from: starts[1].toISOString(), to: starts[2].toISOString() };
    expect((await server.ok(ClassSessionsDocument, { filter: window }, a)).classSessions.edges.map((e) => e.node.id)).toEqual([ids[1]]);
    expect((await server.ok(ClassSessionsDocument, { filter: { coachId: 'not-an-id' } }, a)).classSessions.totalCount).toBe(0);
    expect(errorOf(await server.request(ClassSessionsDocument, { filter: { from: starts[1].toISOString(), to: starts[0].toISOString() } }, a))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    expect(errorOf(await server.request(ClassSessionsDocument, { after: 'bogus' }, a))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it("gives members their own enrollments by class start, owners anyone's by memberId, and another member's as nothing", async () => {
    const [a, b] = await members(2);
    const later = await newClass(2, 0, nextStart(25));
    const sooner = await newClass(2, 0, nextStart(21));
    const e1 = await enrolled(later.id, a);
    const e2 = await enrolled(sooner.id, a);
    await server.ok(CancelEnrollmentDocument, { id: e1.id }, a);
    const mine = (await server.ok(EnrollmentsDocument, {}, a)).enrollments;
    expect(mine.edges.map((e) => [e.node.id, e.node.status])).toEqual([[e2.id, 'BOOKED'], [e1.id, 'CANCELLED']]);
    expect((await server.ok(EnrollmentsDocument, { filter: { status: ['BOOKED'] } }, a)).enrollments.edges.map((e) => e.node.id)).toEqual([e2.id]);
    expect((await server.ok(EnrollmentsDocument, { memberId: a.id }, owner)).enrollments.totalCount).toBe(2);
    expect((await server.ok(EnrollmentsDocument, { memberId: a.id }, b)).enrollments).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    expect(errorOf(await server.request(EnrollmentsDocument, {}, coach))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the waitlist policy', () => {
  it('defaults to the late-cancel window + 60 minutes and 30-minute offers; owners change it field by field, null back to the default', async () => {
    expect((await server.ok(WaitlistPolicyDocument, {}, await server.user('MEMBER'))).studioSettings.waitlist)
      .toEqual({ autoPromoteCutoffMinutes: 1440 + 60, offerMinutes: 30, quietHoursStart: null, quietHoursEnd: null });
    const changed = await server.ok(UpdateWaitlistPolicyDocument, { waitlist: { autoPromoteCutoffMinutes: 120, quietHoursStart: '22:00', quietHoursEnd: '07:00' } }, owner);
    expect(changed.updateStudioSettings.waitlist).toEqual({ autoPromoteCutoffMinutes: 120, offerMinutes: 30, quietHoursStart: '22:00', quietHoursEnd: '07:00' });
    const offers = await server.ok(UpdateWaitlistPolicyDocument, { waitlist: { offerMinutes: 45 } }, owner);
    expect(offers.updateStudioSettings.waitlist).toEqual({ autoPromoteCutoffMinutes: 120, offerMinutes: 45, quietHoursStart: '22:00', quietHoursEnd: '07:00' });
    const reset = await server.ok(UpdateWaitlistPolicyDocument, { waitlist: { autoPromoteCutoffMinutes: null, offerMinutes: 30, quietHoursStart: null, quietHoursEnd: null } }, owner);
    expect(reset.updateStudioSettings.waitlist).toEqual({ autoPromoteCutoffMinutes: 1500, offerMinutes: 30, quietHoursStart: null, quietHoursEnd: null });
  });

  it('refuses every bad field by name and half-set quiet hours, changing nothing', async () => {
    const before = await server.db.query(`SELECT * FROM studio_settings`);
    const cases: [Record<string, unknown>, string][] = [
      [{ autoPromoteCutoffMinutes: -1 }, 'input.waitlist.autoPromoteCutoffMinutes'],
      [{ autoPromoteCutoffMinutes: 20_161 }, 'input.waitlist.autoPromoteCutoffMinutes'],
      [{ offerMinutes: 4 }, 'input.waitlist.offerMinutes'],
      [{ offerMinutes: 721 }, 'input.waitlist.offerMinutes'],
      [{ quietHoursStart: '22:00' }, 'input.waitlist.quietHoursEnd'],
      [{ quietHoursEnd: '07:00' }, 'input.waitlist.quietHoursStart'],
      [{ quietHoursStart: '22:00', quietHoursEnd: '22:00' }, 'input.waitlist.quietHoursEnd'],
      [{ quietHoursStart: '24:00', quietHoursEnd: '07:00' }, 'input.waitlist.quietHoursStart'],
    ];
    for (const [waitlist, field] of cases) {
      expect(errorOf(await server.request(UpdateWaitlistPolicyDocument, { waitlist }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(errorOf(await server.request(UpdateWaitlistPolicyDocument, { waitlist: { offerMinutes: 60 } }, coach))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.db.query(`SELECT * FROM studio_settings`)).toEqual(before);
  });
});
