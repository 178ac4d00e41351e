import {
  AddAvailabilityDocument,
  AvailabilityAdditionsDocument,
  AvailabilityBlocksDocument,
  BlockAvailabilityDocument,
  BookSessionDocument,
  CoachAvailabilityDocument,
  CreateRecurringBookingDocument,
  RecurringBookingWithSessionsDocument,
  RemoveAvailabilityAdditionDocument,
  RemoveAvailabilityBlockDocument,
  SessionChangedDocument,
  SetWeeklyAvailabilityDocument,
  WeeklyAvailabilityDocument,
  type SessionChangedSubscription,
  type AvailabilityWindowInput,
  type WeeklySlotInput,
} from '../generated/graphql';
import { subscribe, waitUntilListening, wsClient } from '../support/live';
import { addDays, dayOfWeekOf } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import { coachWithHours, createRoom, localAt, plusMinutes, writeCounts } from '../support/schedule';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

// Weekly hours are wall-clock time in the studio's timezone: Berlin has DST.
const BERLIN = 'Europe/Berlin';
const DAY = 86_400_000;
let server: TestServer;
let owner: TestUser;
let member: TestUser;

beforeAll(async () => {
  server = await startTestServer({ env: { STUDIO_TIMEZONE: BERLIN } });
  owner = await server.user('OWNER');
  member = await server.user('MEMBER');
});
afterAll(() => server.stop());

const berlin = (daysAhead: number, time: string) => localAt(BERLIN, daysAhead, time);
const window = (start: Date, end: Date, extra: Partial<AvailabilityWindowInput> = {}): AvailabilityWindowInput => ({
  startTime: start.toISOString(),
  endTime: end.toISOString(),
  ...extra,
});
const weeklyRows = (coachId: string) =>
  server.db.query<{ day_of_week: number; start_minute: number; end_minute: number }>(
    'SELECT day_of_week, start_minute, end_minute FROM weekly_availability WHERE coach_id = $1 ORDER BY day_of_week, start_minute',
    [coachId],
  );
const slotsOf = async (coachId: string, from: Date, to: Date, as: TestUser = member) =>
  (await server.ok(CoachAvailabilityDocument, { coachId, from: from.toISOString(), to: to.toISOString() }, as)).coachAvailability.map((s) => [s.startTime, s.endTime]);

describe('weekly hours', () => {
  it('lets a coach set several slots a day and anyone read them back in order, as HH:mm', async () => {
    const coach = await server.user('COACH');
    const slots: WeeklySlotInput[] = [
      { dayOfWeek: 1, startTime: '14:00', endTime: '18:00' },
      { dayOfWeek: 1, startTime: '07:00:00', endTime: '11:30' },
      { dayOfWeek: 0, startTime: '10:00', endTime: '12:00' },
      { dayOfWeek: 1, startTime: '11:30', endTime: '12:00' },
    ];
    const set = await server.ok(SetWeeklyAvailabilityDocument, { slots }, coach);
    const expected = [
      { dayOfWeek: 0, startTime: '10:00', endTime: '12:00' },
      { dayOfWeek: 1, startTime: '07:00', endTime: '11:30' },
      { dayOfWeek: 1, startTime: '11:30', endTime: '12:00' },
      { dayOfWeek: 1, startTime: '14:00', endTime: '18:00' },
    ];
    expect(set.setWeeklyAvailability.map(({ dayOfWeek, startTime, endTime }) => ({ dayOfWeek, startTime, endTime }))).toEqual(expected);
    const read = await server.ok(WeeklyAvailabilityDocument, { coachId: coach.id }, member);
    expect(read.weeklyAvailability.map(({ dayOfWeek, startTime, endTime, coach: c }) => ({ dayOfWeek, startTime, endTime, coach: c.id }))).toEqual(
      expected.map((slot) => ({ ...slot, coach: coach.id })),
    );
    expect(await weeklyRows(coach.id)).toEqual([
      { day_of_week: 0, start_minute: 600, end_minute: 720 },
      { day_of_week: 1, start_minute: 420, end_minute: 690 },
      { day_of_week: 1, start_minute: 690, end_minute: 720 },
      { day_of_week: 1, start_minute: 840, end_minute: 1080 },
    ]);
  });

  it('replaces the whole week on every call, and an empty list clears it', async () => {
    const coach = await server.user('COACH');
    await server.ok(SetWeeklyAvailabilityDocument, { slots: [1, 2, 3].map((d) => ({ dayOfWeek: d, startTime: '09:00', endTime: '17:00' })) }, coach);
    await server.ok(SetWeeklyAvailabilityDocument, { slots: [{ dayOfWeek: 5, startTime: '06:00', endTime: '08:00' }] }, coach);
    expect(await weeklyRows(coach.id)).toEqual([{ day_of_week: 5, start_minute: 360, end_minute: 480 }]);
    expect((await server.ok(SetWeeklyAvailabilityDocument, { slots: [] }, coach)).setWeeklyAvailability).toEqual([]);
    expect(await weeklyRows(coach.id)).toEqual([]);
  });

  it('keeps one consistent week when two replacements race', async () => {
    const coach = await server.user('COACH');
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const weeks = [0, 1, 2, 3, 4, 5].map((d) => [6, 8, 10].map((h) => ({ dayOfWeek: d, startTime: hh(h), endTime: hh(h + 1) })));
    await Promise.all(weeks.map((slots) => server.ok(SetWeeklyAvailabilityDocument, { slots }, coach)));
    const rows = await weeklyRows(coach.id);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.day_of_week)).size).toBe(1);
  });

  it("lets the owner set any coach's week by coachId, which the owner must give", async () => {
    const coach = await server.user('COACH');
    const slots = [{ dayOfWeek: 2, startTime: '09:00', endTime: '10:00' }];
    expect((await server.ok(SetWeeklyAvailabilityDocument, { coachId: coach.id, slots }, owner)).setWeeklyAvailability[0].coach.id).toBe(coach.id);
    expect(errorOf(await server.request(SetWeeklyAvailabilityDocument, { slots }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'coachId' });
    expect(errorOf(await server.request(SetWeeklyAvailabilityDocument, { coachId: member.id, slots }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'coachId' });
  });

  it("refuses a coach editing another coach's week, and members altogether", async () => {
    const coach = await server.user('COACH');
    const other = await server.user('COACH');
    const slots = [{ dayOfWeek: 2, startTime: '09:00', endTime: '10:00' }];
    expect(errorOf(await server.request(SetWeeklyAvailabilityDocument, { coachId: other.id, slots }, coach)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(SetWeeklyAvailabilityDocument, { slots }, member)).code).toBe('FORBIDDEN');
    expect(await weeklyRows(other.id)).toEqual([]);
  });

  it('answers NOT_FOUND for the hours of someone who is not a coach', async () => {
    expect(errorOf(await server.request(WeeklyAvailabilityDocument, { coachId: member.id }, member))).toMatchObject({ code: 'NOT_FOUND', field: 'coachId' });
  });

  describe('bad input keeps the previous week', () => {
    let coach: TestUser;
    beforeAll(async () => {
      coach = await server.user('COACH');
      await server.ok(SetWeeklyAvailabilityDocument, { slots: [{ dayOfWeek: 3, startTime: '09:00', endTime: '17:00' }] }, coach);
    });

    const ok = { dayOfWeek: 1, startTime: '09:00', endTime: '12:00' };
    it.each<[string, string, WeeklySlotInput[]]>([
      ['overlapping slots', 'slots.1.startTime', [ok, { dayOfWeek: 1, startTime: '11:00', endTime: '13:00' }]],
      ['a slot inside another', 'slots.2.startTime', [{ dayOfWeek: 4, startTime: '10:00', endTime: '11:00' }, ok, { dayOfWeek: 4, startTime: '08:00', endTime: '18:00' }]],
      ['dayOfWeek 7', 'slots.1.dayOfWeek', [ok, { dayOfWeek: 7, startTime: '09:00', endTime: '10:00' }]],
      ['dayOfWeek -1', 'slots.0.dayOfWeek', [{ dayOfWeek: -1, startTime: '09:00', endTime: '10:00' }]],
      ['a start time of 24:00', 'slots.0.startTime', [{ dayOfWeek: 1, startTime: '24:00', endTime: '24:00' }]],
      ['an end time of 24:30', 'slots.0.endTime', [{ dayOfWeek: 1, startTime: '20:00', endTime: '24:30' }]],
      ['a start time of 10:60', 'slots.1.startTime', [ok, { dayOfWeek: 2, startTime: '10:60', endTime: '11:00' }]],
      ['a time with milliseconds', 'slots.0.startTime', [{ dayOfWeek: 1, startTime: '09:00:00.500', endTime: '10:00' }]],
      ['an end before the start', 'slots.0.endTime', [{ dayOfWeek: 1, startTime: '10:00', endTime: '09:00' }]],
      ['an end equal to the start', 'slots.1.endTime', [ok, { dayOfWeek: 2, startTime: '10:00', endTime: '10:00' }]],
    ])('refuses %s with BAD_USER_INPUT on %s', async (_label, field, slots) => {
      const before = await weeklyRows(coach.id);
      expect(errorOf(await server.request(SetWeeklyAvailabilityDocument, { slots }, coach))).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await weeklyRows(coach.id)).toEqual(before);
      expect(before).toHaveLength(1);
    });

    it('refuses more than 100 slots', async () => {
      const slots = Array.from({ length: 101 }, (_, i) => ({ dayOfWeek: i % 7, startTime: `${String(Math.floor(i / 7)).padStart(2, '0')}:00`, endTime: `${String(Math.floor(i / 7)).padStart(2, '0')}:30` }));
      expect(errorOf(await server.request(SetWeeklyAvailabilityDocument, { slots }, coach))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slots' });
      expect(await weeklyRows(coach.id)).toHaveLength(1);
    });
  });
});

describe('additions', () => {
  it('adds an extra window anyone can list, bookable outside the weekly hours', async () => {
    const { coach } = await coachWithHours(server, owner, { from: '09:00', to: '17:00' });
    const added = await server.ok(AddAvailabilityDocument, { input: window(berlin(4, '18:00'), berlin(4, '20:00'), { note: '  evening class  ' }) }, coach);
    expect(added.addAvailability).toMatchObject({ coach: { id: coach.id }, startTime: berlin(4, '18:00').toISOString(), endTime: berlin(4, '20:00').toISOString(), note: 'evening class' });
    const listed = await server.ok(AvailabilityAdditionsDocument, { coachId: coach.id }, member);
    expect(listed.availabilityAdditions.map((a) => a.id)).toEqual([added.addAvailability.id]);
    expect(await slotsOf(coach.id, berlin(4, '00:00'), berlin(5, '00:00'))).toEqual([
      [berlin(4, '09:00').toISOString(), berlin(4, '17:00').toISOString()],
      [berlin(4, '18:00').toISOString(), berlin(4, '20:00').toISOString()],
    ]);
  });

  it("keeps the note private: the coach and owners read it, members and other coaches read null", async () => {
    const coach = await server.user('COACH');
    const other = await server.user('COACH');
    await server.ok(AddAvailabilityDocument, { input: window(berlin(4, '18:00'), berlin(4, '20:00'), { note: 'Covering for Sam, do not tell the members' }) }, coach);
    const notes = async (as: TestUser) => (await server.ok(AvailabilityAdditionsDocument, { coachId: coach.id }, as)).availabilityAdditions.map((a) => a.note);
    expect(await notes(coach)).toEqual(['Covering for Sam, do not tell the members']);
    expect(await notes(owner)).toEqual(['Covering for Sam, do not tell the members']);
    expect(await notes(member)).toEqual([null]);
    expect(await notes(other)).toEqual([null]);
  });

  it('merges an addition touching the weekly hours into one bookable window', async () => {
    const { coach } = await coachWithHours(server, owner, { from: '09:00', to: '17:00' });
    await server.ok(AddAvailabilityDocument, { input: window(berlin(4, '17:00'), berlin(4, '19:00')) }, coach);
    expect(await slotsOf(coach.id, berlin(4, '00:00'), berlin(5, '00:00'))).toEqual([[berlin(4, '09:00').toISOString(), berlin(4, '19:00').toISOString()]]);
  });

  it('lists only the additions overlapping from..to', async () => {
    const coach = await server.user('COACH');
    const early = await server.ok(AddAvailabilityDocument, { input: window(berlin(2, '10:00'), berlin(2, '12:00')) }, coach);
    const late = await server.ok(AddAvailabilityDocument, { input: window(berlin(9, '10:00'), berlin(9, '12:00')) }, coach);
    const list = async (from: Date, to: Date) =>
      (await server.ok(AvailabilityAdditionsDocument, { coachId: coach.id, from: from.toISOString(), to: to.toISOString() }, member)).availabilityAdditions.map((a) => a.id);
    expect(await list(berlin(2, '11:00'), berlin(3, '00:00'))).toEqual([early.addAvailability.id]);
    expect(await list(berlin(2, '12:00'), berlin(9, '10:00'))).toEqual([]); // touching is not overlapping
    expect(await list(berlin(0, '00:00'), berlin(20, '00:00'))).toEqual([early.addAvailability.id, late.addAvailability.id]);
    expect(errorOf(await server.request(AvailabilityAdditionsDocument, { coachId: coach.id, from: berlin(3, '00:00').toISOString(), to: berlin(2, '00:00').toISOString() }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it("lets a coach remove their own addition and the owner anyone's; another coach gets NOT_FOUND", async () => {
    const coach = await server.user('COACH');
    const other = await server.user('COACH');
    const a = (await server.ok(AddAvailabilityDocument, { input: window(berlin(3, '10:00'), berlin(3, '12:00')) }, coach)).addAvailability.id;
    const b = (await server.ok(AddAvailabilityDocument, { input: window(berlin(4, '10:00'), berlin(4, '12:00')) }, coach)).addAvailability.id;
    expect(errorOf(await server.request(RemoveAvailabilityAdditionDocument, { id: a }, other))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect((await server.ok(RemoveAvailabilityAdditionDocument, { id: a }, coach)).removeAvailabilityAddition).toBe(true);
    expect((await server.ok(RemoveAvailabilityAdditionDocument, { id: b }, owner)).removeAvailabilityAddition).toBe(true);
    expect(errorOf(await server.request(RemoveAvailabilityAdditionDocument, { id: a }, coach))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(errorOf(await server.request(RemoveAvailabilityAdditionDocument, { id: 'not-an-id' }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect((await server.ok(AvailabilityAdditionsDocument, { coachId: coach.id }, member)).availabilityAdditions).toEqual([]);
  });

  it('lets the owner add for a coach, and refuses a coach adding for another coach', async () => {
    const coach = await server.user('COACH');
    const other = await server.user('COACH');
    const input = window(berlin(3, '10:00'), berlin(3, '12:00'), { coachId: coach.id });
    expect((await server.ok(AddAvailabilityDocument, { input }, owner)).addAvailability.coach.id).toBe(coach.id);
    const before = await writeCounts(server);
    expect(errorOf(await server.request(AddAvailabilityDocument, { input }, other)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(AddAvailabilityDocument, { input }, member)).code).toBe('FORBIDDEN');
    expect(await writeCounts(server)).toEqual(before);
  });
});

describe('bad windows write nothing', () => {
  let coach: TestUser;
  beforeAll(async () => {
    coach = await server.user('COACH');
  });
  const unknownCoach = '00000000-0000-4000-8000-000000000000';
  const start = () => berlin(3, '10:00');

  it.each<[string, 'addAvailability' | 'blockAvailability', () => AvailabilityWindowInput, 'coach' | 'owner', string, string]>([
    ['an addition ending before it starts', 'addAvailability', () => window(start(), plusMinutes(start(), -60)), 'coach', 'BAD_USER_INPUT', 'input.endTime'],
    ['an addition ending when it starts', 'addAvailability', () => window(start(), start()), 'coach', 'BAD_USER_INPUT', 'input.endTime'],
    ['an addition longer than 31 days', 'addAvailability', () => window(start(), new Date(start().getTime() + 31 * DAY + 60_000)), 'coach', 'BAD_USER_INPUT', 'input.endTime'],
    ['an addition that is already over', 'addAvailability', () => window(berlin(-2, '10:00'), berlin(-2, '12:00')), 'coach', 'BAD_USER_INPUT', 'input.endTime'],
    ['a 501-character note', 'addAvailability', () => window(start(), plusMinutes(start(), 60), { note: 'x'.repeat(501) }), 'coach', 'BAD_USER_INPUT', 'input.note'],
    ['an owner adding without coachId', 'addAvailability', () => window(start(), plusMinutes(start(), 60)), 'owner', 'BAD_USER_INPUT', 'input.coachId'],
    ['an addition for an unknown coach', 'addAvailability', () => window(start(), plusMinutes(start(), 60), { coachId: unknownCoach }), 'owner', 'NOT_FOUND', 'input.coachId'],
    ['a malformed start', 'addAvailability', () => ({ startTime: 'soon', endTime: start().toISOString() }), 'coach', 'BAD_USER_INPUT', 'input.startTime'],
    ['a block ending before it starts', 'blockAvailability', () => window(start(), plusMinutes(start(), -1)), 'coach', 'BAD_USER_INPUT', 'input.endTime'],
    ['a block longer than 180 days', 'blockAvailability', () => window(start(), new Date(start().getTime() + 180 * DAY + 1)), 'coach', 'BAD_USER_INPUT', 'input.endTime'],
    ['a block with a 501-character reason', 'blockAvailability', () => window(start(), plusMinutes(start(), 60), { note: 'x'.repeat(501) }), 'coach', 'BAD_USER_INPUT', 'input.note'],
    ['a block for a member', 'blockAvailability', () => window(start(), plusMinutes(start(), 60), { coachId: member.id }), 'owner', 'NOT_FOUND', 'input.coachId'],
  ])('refuses %s', async (_label, mutation, input, as, code, field) => {
    const before = await writeCounts(server);
    const caller = as === 'coach' ? coach : owner;
    const result =
      mutation === 'addAvailability'
        ? await server.request(AddAvailabilityDocument, { input: input() }, caller)
        : await server.request(BlockAvailabilityDocument, { input: input() }, caller);
    expect(errorOf(result)).toMatchObject({ code, field });
    expect(await writeCounts(server)).toEqual(before);
  });

  it('accepts the longest allowed windows: 31 days of additions, 180 days of blocks', async () => {
    await server.ok(AddAvailabilityDocument, { input: window(start(), new Date(start().getTime() + 31 * DAY)) }, coach);
    await server.ok(BlockAvailabilityDocument, { input: window(start(), new Date(start().getTime() + 180 * DAY)) }, coach);
  });
});

describe('blocks', () => {
  /** A coach bookable 06:00-22:00 four days ahead, with sessions around where the specs put blocks. */
  async function bookedAroundBlocks() {
    const { coach } = await coachWithHours(server, owner, { roomCapacity: 10 });
    const { coach: otherCoach } = await coachWithHours(server, owner, { roomCapacity: 10 });
    const people = await Promise.all([0, 1, 2, 3, 4, 5].map(() => server.user('MEMBER')));
    const bookAt = async (who: TestUser, coachId: string, time: string) =>
      (await server.ok(BookSessionDocument, { input: { coachId, memberId: who.id, startTime: berlin(4, time).toISOString(), durationMinutes: 60 } }, owner)).bookSession.id;
    const sessions = {
      touchesFirstStart: await bookAt(people[0], coach.id, '09:00'),
      insideFirst: await bookAt(people[1], coach.id, '10:00'),
      straddlesFirstEnd: await bookAt(people[2], coach.id, '11:30'),
      straddlesSecondStart: await bookAt(people[3], coach.id, '13:30'),
      touchesSecondEnd: await bookAt(people[4], coach.id, '15:00'),
      otherCoachInsideFirst: await bookAt(people[5], otherCoach.id, '10:30'),
    };
    return { coach, sessions };
  }
  const statusOf = async (ids: Record<string, string>) => {
    const rows = await server.db.query<{ id: string; status: string; cancellation_reason: string | null }>(
      'SELECT id, status, cancellation_reason FROM training_sessions WHERE id = ANY($1::uuid[])',
      [Object.values(ids)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, `${byId.get(id)!.status}${byId.get(id)!.cancellation_reason ? ` ${byId.get(id)!.cancellation_reason}` : ''}`]));
  };

  it('cancels exactly the coach sessions overlapping the window, not those touching its edges, with history', async () => {
    const { coach, sessions } = await bookedAroundBlocks();
    const first = await server.ok(BlockAvailabilityDocument, { input: window(berlin(4, '10:00'), berlin(4, '12:00'), { note: 'Dentist' }) }, coach);
    expect(first.blockAvailability).toMatchObject({ coach: { id: coach.id }, reason: 'Dentist', startTime: berlin(4, '10:00').toISOString(), endTime: berlin(4, '12:00').toISOString() });
    await server.ok(BlockAvailabilityDocument, { input: window(berlin(4, '14:00'), berlin(4, '15:00'), { coachId: coach.id }) }, owner);
    expect(await statusOf(sessions)).toEqual({
      touchesFirstStart: 'SCHEDULED',
      insideFirst: 'CANCELLED COACH_UNAVAILABLE',
      straddlesFirstEnd: 'CANCELLED COACH_UNAVAILABLE',
      straddlesSecondStart: 'CANCELLED COACH_UNAVAILABLE',
      touchesSecondEnd: 'SCHEDULED',
      otherCoachInsideFirst: 'SCHEDULED',
    });
    const history = await server.db.query<{ session_id: string; from_status: string; to_status: string; actor_id: string }>(
      `SELECT session_id, from_status, to_status, actor_id FROM session_status_changes WHERE to_status = 'CANCELLED' AND session_id = ANY($1::uuid[]) ORDER BY session_id`,
      [Object.values(sessions)],
    );
    expect(history).toEqual(
      [
        { session_id: sessions.insideFirst, actor_id: coach.id },
        { session_id: sessions.straddlesFirstEnd, actor_id: coach.id },
        { session_id: sessions.straddlesSecondStart, actor_id: owner.id },
      ]
        .sort((a, b) => a.session_id.localeCompare(b.session_id))
        .map((row) => ({ ...row, from_status: 'SCHEDULED', to_status: 'CANCELLED' })),
    );
  });

  it('makes the window unbookable until the block is removed; the cancelled sessions stay cancelled', async () => {
    const { coach, sessions } = await bookedAroundBlocks();
    const block = await server.ok(BlockAvailabilityDocument, { input: window(berlin(4, '10:00'), berlin(4, '12:00')) }, coach);
    const attempt = () => server.request(BookSessionDocument, { input: { coachId: coach.id, startTime: berlin(4, '10:00').toISOString() } }, member);
    expect(errorOf(await attempt())).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.startTime' });
    expect(await slotsOf(coach.id, berlin(4, '06:00'), berlin(4, '22:00'))).toEqual([
      [berlin(4, '06:00').toISOString(), berlin(4, '09:00').toISOString()],
      [berlin(4, '12:00').toISOString(), berlin(4, '13:30').toISOString()],
      [berlin(4, '14:30').toISOString(), berlin(4, '15:00').toISOString()],
      [berlin(4, '16:00').toISOString(), berlin(4, '22:00').toISOString()],
    ]);
    expect((await server.ok(RemoveAvailabilityBlockDocument, { id: block.blockAvailability.id }, coach)).removeAvailabilityBlock).toBe(true);
    expect((await statusOf({ insideFirst: sessions.insideFirst })).insideFirst).toBe('CANCELLED COACH_UNAVAILABLE');
    expect((await attempt()).errors).toBeUndefined();
  });

  it('leaves no booked session inside a block that races with bookings for it', async () => {
    const { coach } = await coachWithHours(server, owner, { roomCapacity: 20 });
    const people = await Promise.all(Array.from({ length: 12 }, () => server.user('MEMBER')));
    const bookings = people.map((p, i) =>
      server.request(BookSessionDocument, { input: { coachId: coach.id, startTime: plusMinutes(berlin(5, '08:00'), 30 * i).toISOString(), durationMinutes: 30 } }, p),
    );
    const block = server.request(BlockAvailabilityDocument, { input: window(berlin(5, '08:00'), berlin(5, '14:00')) }, coach);
    const results = await Promise.all([...bookings, block]);
    expect(results.every((r) => !r.errors || errorOf(r).field === 'input.startTime')).toBe(true);
    const [row] = await server.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM training_sessions WHERE coach_id = $1 AND status = 'SCHEDULED' AND start_time < $3 AND end_time > $2`,
      [coach.id, berlin(5, '08:00'), berlin(5, '14:00')],
    );
    expect(Number(row.n)).toBe(0);
  });

  it("tells the coach's subscribers about each booking and each session the block cancels, after commit", async () => {
    const { coach } = await coachWithHours(server, owner, { roomCapacity: 10 });
    const client = wsClient(server, coach);
    const live = subscribe(client, SessionChangedDocument, {});
    try {
      // Probe with bookings a week out until the subscription is registered: each is a CREATED event.
      let probes = 0;
      let lastProbe = '';
      const probe = async () => {
        const startTime = plusMinutes(berlin(7, '06:00'), 15 * probes++).toISOString();
        lastProbe = (await server.ok(BookSessionDocument, { input: { coachId: coach.id, memberId: member.id, startTime, durationMinutes: 15 } }, owner)).bookSession.id;
      };
      await waitUntilListening(live, probe, (data) => data.sessionChanged.kind === 'CREATED' && data.sessionChanged.session.id === lastProbe);
      const people = await Promise.all([0, 1, 2].map(() => server.user('MEMBER')));
      const booked: string[] = [];
      for (const [i, time] of ['09:00', '10:00', '11:00'].entries()) {
        booked.push((await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: berlin(4, time).toISOString() } }, people[i])).bookSession.id);
      }
      await live.until(() => booked.every((id) => live.events.some((e) => e.data.sessionChanged.kind === 'CREATED' && e.data.sessionChanged.session.id === id)));

      await server.ok(BlockAvailabilityDocument, { input: window(berlin(4, '10:00'), berlin(4, '12:00')) }, coach);
      const cancelled = (data: SessionChangedSubscription) => data.sessionChanged.kind === 'STATUS_CHANGED';
      // One more booking after the block: events arrive in commit order, so once its CREATED is in,
      // any wrong third cancellation would have arrived before it.
      await probe();
      await live.next((data) => data.sessionChanged.kind === 'CREATED' && data.sessionChanged.session.id === lastProbe);
      const changes = live.events.filter((e) => cancelled(e.data)).map((e) => e.data.sessionChanged);
      expect(changes.map((c) => c.session.id).sort()).toEqual([booked[1], booked[2]].sort());
      for (const change of changes) {
        expect(change).toMatchObject({ previousStatus: 'SCHEDULED', session: { status: 'CANCELLED', cancellationReason: 'COACH_UNAVAILABLE' } });
        expect(change.session.history.at(-1)).toEqual({ from: 'SCHEDULED', to: 'CANCELLED', actor: { id: coach.id } });
      }
    } finally {
      live.dispose();
      await client.dispose();
    }
  });

  it('shows a coach their own blocks and the owner anyone’s; other coaches get NOT_FOUND, members FORBIDDEN', async () => {
    const coach = await server.user('COACH');
    const other = await server.user('COACH');
    const made = await server.ok(BlockAvailabilityDocument, { input: window(berlin(6, '00:00'), berlin(8, '00:00'), { coachId: coach.id, note: 'Holiday' }) }, owner);
    const ids = async (as: TestUser) => (await server.ok(AvailabilityBlocksDocument, { coachId: coach.id }, as)).availabilityBlocks.map((b) => [b.id, b.reason]);
    expect(await ids(coach)).toEqual([[made.blockAvailability.id, 'Holiday']]);
    expect(await ids(owner)).toEqual([[made.blockAvailability.id, 'Holiday']]);
    expect(errorOf(await server.request(AvailabilityBlocksDocument, { coachId: coach.id }, other))).toMatchObject({ code: 'NOT_FOUND', field: 'coachId' });
    expect(errorOf(await server.request(AvailabilityBlocksDocument, { coachId: coach.id }, member)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(RemoveAvailabilityBlockDocument, { id: made.blockAvailability.id }, other))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(await ids(coach)).toHaveLength(1);
  });
});

/** The next EU daylight-saving change at least `minDaysAhead` days from now: last Sunday of March or October, 01:00 UTC. */
function nextEuChange(minDaysAhead: number): { at: Date; spring: boolean } {
  const lastSunday = (year: number, month: number) => {
    const lastDay = new Date(Date.UTC(year, month + 1, 0, 1));
    return new Date(lastDay.getTime() - lastDay.getUTCDay() * DAY);
  };
  const earliest = Date.now() + minDaysAhead * DAY;
  const year = new Date().getUTCFullYear();
  const changes = [year, year + 1].flatMap((y) => [
    { at: lastSunday(y, 2), spring: true },
    { at: lastSunday(y, 9), spring: false },
  ]);
  return changes.find((c) => c.at.getTime() > earliest)!;
}

describe('coachAvailability', () => {
  it('keeps 09:00-17:00 Berlin hours on the wall clock across the next DST change (08:00Z in winter, 07:00Z in summer)', async () => {
    const coach = await server.user('COACH');
    await server.ok(SetWeeklyAvailabilityDocument, { slots: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ dayOfWeek: d, startTime: '09:00', endTime: '17:00' })) }, coach);
    const change = nextEuChange(5);
    const changeDay = Date.UTC(change.at.getUTCFullYear(), change.at.getUTCMonth(), change.at.getUTCDate());
    const days = [-3, -2, -1, 0, 1, 2].map((k) => changeDay + k * DAY);
    const expected = days.map((day) => {
      const summer = change.spring ? day >= changeDay : day < changeDay;
      const offsetHours = summer ? 2 : 1;
      return [new Date(day + (9 - offsetHours) * 3_600_000).toISOString(), new Date(day + (17 - offsetHours) * 3_600_000).toISOString()];
    });
    expect(await slotsOf(coach.id, new Date(days[0]), new Date(changeDay + 3 * DAY))).toEqual(expected);
    // The hour the clocks change is visible in the results themselves.
    const hour = (iso: string) => new Date(iso).getUTCHours();
    expect(expected.map(([start]) => hour(start))).toEqual(change.spring ? [8, 8, 8, 7, 7, 7] : [7, 7, 7, 8, 8, 8]);
  });

  it('is weekly hours plus additions minus blocks minus booked sessions, merged, in UTC', async () => {
    const { coach } = await coachWithHours(server, owner, { from: '09:00', to: '17:00', roomCapacity: 5 });
    await server.ok(AddAvailabilityDocument, { input: window(berlin(6, '17:00'), berlin(6, '19:00')) }, coach);
    await server.ok(BlockAvailabilityDocument, { input: window(berlin(6, '12:00'), berlin(6, '13:00')) }, coach);
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: berlin(6, '09:00').toISOString() } }, member);
    const other = await server.user('MEMBER');
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: berlin(6, '10:00').toISOString(), durationMinutes: 30 } }, other);
    expect(await slotsOf(coach.id, berlin(6, '00:00'), berlin(7, '00:00'))).toEqual([
      [berlin(6, '10:30').toISOString(), berlin(6, '12:00').toISOString()],
      [berlin(6, '13:00').toISOString(), berlin(6, '19:00').toISOString()],
    ]);
  });

  it('offers no time that has already passed', async () => {
    const { coach } = await coachWithHours(server, owner, { from: '00:00', to: '23:59' });
    const now = Date.now();
    const from = new Date(now - 2 * DAY);
    const to = new Date(now + DAY);
    const slots = await slotsOf(coach.id, from, to);
    const after = Date.now();
    // Each Berlin day's 00:00-23:59 within the range, which starts at the server's now rounded up to the minute.
    const expectedFrom = (start: number) =>
      [-3, -2, -1, 0, 1, 2]
        .map((day) => [Math.max(berlin(day, '00:00').getTime(), start), Math.min(berlin(day, '23:59').getTime(), to.getTime())])
        .filter(([s, e]) => s < e)
        .map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]);
    const nextMinute = (ms: number) => Math.ceil(ms / 60_000) * 60_000;
    // The request may straddle a minute: the server's now is one of the two.
    expect([expectedFrom(nextMinute(now)), expectedFrom(nextMinute(after))]).toContainEqual(slots);
  });

  it('accepts a range of exactly 62 days and refuses longer ones or an inverted range on `to`', async () => {
    const { coach } = await coachWithHours(server, owner);
    const from = berlin(1, '00:00');
    const ask = (to: Date) => server.request(CoachAvailabilityDocument, { coachId: coach.id, from: from.toISOString(), to: to.toISOString() }, member);
    expect((await ask(new Date(from.getTime() + 62 * DAY))).errors).toBeUndefined();
    expect(errorOf(await ask(new Date(from.getTime() + 62 * DAY + 1)))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(errorOf(await ask(from))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(errorOf(await ask(new Date(from.getTime() - DAY)))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('answers NOT_FOUND for an unknown coach', async () => {
    const result = await server.request(CoachAvailabilityDocument, { coachId: '00000000-0000-4000-8000-000000000000', from: berlin(1, '00:00').toISOString(), to: berlin(2, '00:00').toISOString() }, member);
    expect(errorOf(result)).toMatchObject({ code: 'NOT_FOUND', field: 'coachId' });
  });
});

describe('hours that end at midnight', () => {
  // The next Monday (at least a day ahead) in Berlin: its 20:00-24:00 and Tuesday's 00:00-02:00 are one evening.
  const mondayAhead = (((1 - dayOfWeekOf(localDateOf(new Date(), BERLIN)) + 7) % 7) || 7) + 7;
  let coach: TestUser;
  let roomId: string;

  beforeAll(async () => {
    coach = await server.user('COACH');
    const slots = [
      { dayOfWeek: 1, startTime: '20:00', endTime: '24:00' },
      { dayOfWeek: 2, startTime: '00:00', endTime: '02:00' },
    ];
    await server.ok(SetWeeklyAvailabilityDocument, { slots }, coach);
    roomId = await createRoom(server, owner);
  });

  it('accepts 24:00 as the end of a weekly slot, stores it as minute 1440 and serves it back as "24:00"', async () => {
    const read = await server.ok(WeeklyAvailabilityDocument, { coachId: coach.id }, member);
    expect(read.weeklyAvailability.map(({ dayOfWeek, startTime, endTime }) => ({ dayOfWeek, startTime, endTime }))).toEqual([
      { dayOfWeek: 1, startTime: '20:00', endTime: '24:00' },
      { dayOfWeek: 2, startTime: '00:00', endTime: '02:00' },
    ]);
    expect(await weeklyRows(coach.id)).toEqual([
      { day_of_week: 1, start_minute: 1200, end_minute: 1440 },
      { day_of_week: 2, start_minute: 0, end_minute: 120 },
    ]);
  });

  it('shows Monday 20:00 to Tuesday 02:00 as one bookable window', async () => {
    expect(await slotsOf(coach.id, berlin(mondayAhead, '12:00'), berlin(mondayAhead + 1, '12:00'))).toEqual([
      [berlin(mondayAhead, '20:00').toISOString(), berlin(mondayAhead + 1, '02:00').toISOString()],
    ]);
  });

  it('books a session from 23:00 to 01:00, across midnight', async () => {
    const start = berlin(mondayAhead, '23:00');
    const { bookSession } = await server.ok(BookSessionDocument, { input: { coachId: coach.id, memberId: member.id, roomId, startTime: start.toISOString(), durationMinutes: 120 } }, owner);
    expect([bookSession.startTime, bookSession.endTime]).toEqual([start.toISOString(), berlin(mondayAhead + 1, '01:00').toISOString()]);
  });

  it('refuses a session that runs past the Tuesday window, naming the start time', async () => {
    const start = berlin(mondayAhead + 7, '23:30');
    const result = await server.request(BookSessionDocument, { input: { coachId: coach.id, memberId: member.id, roomId, startTime: start.toISOString(), durationMinutes: 180 } }, owner);
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('creates a weekly series ending at 24:00, served back as "24:00", whose sessions end at the next midnight', async () => {
    const other = await server.user('MEMBER');
    const startDate = addDays(localDateOf(new Date(), BERLIN), mondayAhead + 14);
    const { createRecurringBooking } = await server.ok(
      CreateRecurringBookingDocument,
      { input: { coachId: coach.id, memberId: other.id, roomId, dayOfWeek: 1, startTime: '22:00', endTime: '24:00', startDate, timezone: BERLIN } },
      owner,
    );
    expect([createRecurringBooking.startTime, createRecurringBooking.endTime]).toEqual(['22:00', '24:00']);
    const { recurringBooking } = await server.ok(RecurringBookingWithSessionsDocument, { id: createRecurringBooking.id }, owner);
    // Every Monday from the start date that begins within the horizon (6 weeks from the series' creation).
    const horizonEnd = new Date(createRecurringBooking.createdAt).getTime() + 6 * 7 * DAY;
    const expected = [0, 1, 2, 3, 4, 5, 6]
      .map((week) => [berlin(mondayAhead + 14 + 7 * week, '22:00'), berlin(mondayAhead + 15 + 7 * week, '00:00')])
      .filter(([start]) => start.getTime() < horizonEnd)
      .map(([start, end]) => [start.toISOString(), end.toISOString()]);
    expect(recurringBooking!.sessions.map((s) => [s.startTime, s.endTime])).toEqual(expected);
  });
});
