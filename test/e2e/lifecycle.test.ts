import type { SessionStatus } from '../../src/domain/lifecycle';
import { CancelSessionDocument, CompleteSessionDocument, GenerateSessionsDocument, MarkNoShowDocument, RescheduleSessionDocument, SessionChangedDocument } from '../generated/graphql';
import { subscribe, waitUntilListening, wsClient } from '../support/live';
import { HOUR_MS, DAY_MS, insertRoom, insertSession, sessionState, weeklyHours, wholeHourFromNow } from '../support/sessions';
import { errorOf, startTestServer, type GraphqlResponse, type TestServer, type TestUser } from '../support/server';

/**
 * The session lifecycle through HTTP: SCHEDULED -> COMPLETED | NO_SHOW | CANCELLED and
 * nothing leaves a terminal state; members cancel (and reschedule) their own sessions
 * before they start; coaches and owners cancel, complete and mark no-show (the last two
 * only after the start). Every refusal writes nothing; every change leaves a history entry.
 */
let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let member: TestUser;
let otherCoach: TestUser;
let otherMember: TestUser;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  coach = await server.user('COACH');
  member = await server.user('MEMBER');
  otherCoach = await server.user('COACH');
  otherMember = await server.user('MEMBER');
  roomId = await insertRoom(server.db);
  await weeklyHours(server.db, coach.id); // bookable around the clock: only the lifecycle rules decide here
});
afterAll(() => server.stop());

type Action = 'cancel' | 'complete' | 'noShow' | 'reschedule';
type When = 'before start' | 'after start';
type Outcome = SessionStatus | 'RESCHEDULED' | 'CONFLICT' | 'FORBIDDEN' | 'NOT_FOUND';

// Each arranged session gets an hour of its own, so no two ever overlap for the coach or member.
let futureSlot = 0;
let pastSlot = 0;
const nextFutureStart = () => new Date(wholeHourFromNow(48).getTime() + 3 * HOUR_MS * futureSlot++);
const nextPastStart = () => new Date(wholeHourFromNow(0).getTime() - HOUR_MS * (2 + 3 * pastSlot++));

async function arrange(when: When, status: SessionStatus = 'SCHEDULED'): Promise<{ id: string; start: Date }> {
  const start = when === 'before start' ? nextFutureStart() : nextPastStart();
  const occurrenceStart = start;
  const id = await insertSession(server.db, { coachId: coach.id, memberId: member.id, roomId, start, status, occurrenceStart });
  return { id, start };
}

function perform(action: Action, id: string, as: TestUser, start: Date): Promise<GraphqlResponse<unknown>> {
  switch (action) {
    case 'cancel':
      return server.request(CancelSessionDocument, { id, reason: 'Feeling ill' }, as);
    case 'complete':
      return server.request(CompleteSessionDocument, { id }, as);
    case 'noShow':
      return server.request(MarkNoShowDocument, { id }, as);
    case 'reschedule': {
      // Always a valid future time: what decides is the lifecycle, not the target.
      const target = start.getTime() > Date.now() ? new Date(start.getTime() + HOUR_MS) : nextFutureStart();
      return server.request(RescheduleSessionDocument, { id, startTime: target.toISOString() }, as);
    }
  }
}

const actors = () => ({ member, coach, owner, otherMember, otherCoach });
type ActorName = keyof ReturnType<typeof actors>;

/** Asserts the outcome: a change (row, history entry with the actor) or a refusal that wrote nothing. */
async function expectOutcome(actorName: ActorName, action: Action, when: When, status: SessionStatus, expected: Outcome) {
  const actor = actors()[actorName];
  const { id, start } = await arrange(when, status);
  const before = await sessionState(server.db, id);
  const result = await perform(action, id, actor, start);
  const after = await sessionState(server.db, id);

  if (expected === 'CONFLICT' || expected === 'FORBIDDEN' || expected === 'NOT_FOUND') {
    expect(errorOf(result).code).toBe(expected);
    expect(result.data ?? null).toBeNull();
    expect(after).toEqual(before);
    return;
  }
  expect(result.errors).toBeUndefined();
  const history = after.history as { from: string | null; to: string; actor: string | null }[];
  if (expected === 'RESCHEDULED') {
    expect(after).toMatchObject({ status: 'SCHEDULED', start_time: new Date(start.getTime() + HOUR_MS), occurrence_start: start });
    expect(history).toEqual(before.history); // history records status changes; a move keeps SCHEDULED
  } else {
    expect(after.status).toBe(expected);
    expect(history).toEqual([...(before.history as unknown[]), { from: status, to: expected, actor: actor.id }]);
  }
}

describe('the lifecycle table of a SCHEDULED session', () => {
  // [actor, action, before or after the start, outcome]
  const table: [ActorName, Action, When, Outcome][] = [
    ['member', 'cancel', 'before start', 'CANCELLED'],
    ['member', 'cancel', 'after start', 'CONFLICT'],
    ['member', 'complete', 'before start', 'FORBIDDEN'],
    ['member', 'complete', 'after start', 'FORBIDDEN'],
    ['member', 'noShow', 'before start', 'FORBIDDEN'],
    ['member', 'noShow', 'after start', 'FORBIDDEN'],
    ['member', 'reschedule', 'before start', 'RESCHEDULED'],
    ['member', 'reschedule', 'after start', 'CONFLICT'],

    ['coach', 'cancel', 'before start', 'CANCELLED'],
    ['coach', 'cancel', 'after start', 'CANCELLED'],
    ['coach', 'complete', 'before start', 'CONFLICT'],
    ['coach', 'complete', 'after start', 'COMPLETED'],
    ['coach', 'noShow', 'before start', 'CONFLICT'],
    ['coach', 'noShow', 'after start', 'NO_SHOW'],
    ['coach', 'reschedule', 'before start', 'RESCHEDULED'],
    ['coach', 'reschedule', 'after start', 'CONFLICT'],

    ['owner', 'cancel', 'before start', 'CANCELLED'],
    ['owner', 'cancel', 'after start', 'CANCELLED'],
    ['owner', 'complete', 'before start', 'CONFLICT'],
    ['owner', 'complete', 'after start', 'COMPLETED'],
    ['owner', 'noShow', 'before start', 'CONFLICT'],
    ['owner', 'noShow', 'after start', 'NO_SHOW'],
    ['owner', 'reschedule', 'before start', 'RESCHEDULED'],
    ['owner', 'reschedule', 'after start', 'CONFLICT'],

    // Someone else's session does not exist for them; members cannot complete or mark no-show at all.
    ['otherMember', 'cancel', 'before start', 'NOT_FOUND'],
    ['otherMember', 'reschedule', 'before start', 'NOT_FOUND'],
    ['otherMember', 'complete', 'after start', 'FORBIDDEN'],
    ['otherMember', 'noShow', 'after start', 'FORBIDDEN'],
    ['otherCoach', 'cancel', 'before start', 'NOT_FOUND'],
    ['otherCoach', 'reschedule', 'before start', 'NOT_FOUND'],
    ['otherCoach', 'complete', 'after start', 'NOT_FOUND'],
    ['otherCoach', 'noShow', 'after start', 'NOT_FOUND'],
  ];

  it.each(table)('%s: %s %s -> %s', (actorName, action, when, expected) => expectOutcome(actorName, action, when, 'SCHEDULED', expected));
});

describe('terminal states: nothing leaves them, except attendance corrections by staff', () => {
  const terminal: SessionStatus[] = ['COMPLETED', 'CANCELLED', 'NO_SHOW'];
  const rows: [ActorName, Action, When, SessionStatus, Outcome][] = [];
  for (const status of terminal) {
    for (const when of ['before start', 'after start'] as When[]) {
      for (const actorName of ['member', 'coach', 'owner'] as ActorName[]) {
        for (const action of ['cancel', 'complete', 'noShow', 'reschedule'] as Action[]) {
          // Members are refused completing and no-show by role before any state is looked at.
          const memberOnlyRole = actorName === 'member' && (action === 'complete' || action === 'noShow');
          // Staff may correct attendance (COMPLETED <-> NO_SHOW) within 7 days after the end: see below.
          const correction = (status === 'COMPLETED' && action === 'noShow') || (status === 'NO_SHOW' && action === 'complete');
          rows.push([actorName, action, when, status, memberOnlyRole ? 'FORBIDDEN' : correction ? (action === 'noShow' ? 'NO_SHOW' : 'COMPLETED') : 'CONFLICT']);
        }
      }
    }
  }

  it.each(rows)('%s: %s %s of a %s session -> %s', (actorName, action, when, status, expected) => expectOutcome(actorName, action, when, status, expected));
});

describe('cancelling', () => {
  it('keeps the reason and the time, and answers with the cancelled session and its history', async () => {
    const { id } = await arrange('before start');
    const data = await server.ok(CancelSessionDocument, { id, reason: '  Travelling  ' }, member);
    expect(data.cancelSession).toMatchObject({ id, status: 'CANCELLED', cancellationReason: 'Travelling', completedAt: null });
    expect(new Date(data.cancelSession.cancelledAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(data.cancelSession.history.map((h) => [h.from, h.to, h.actor?.id ?? null])).toEqual([
      [null, 'SCHEDULED', null],
      ['SCHEDULED', 'CANCELLED', member.id],
    ]);
  });

  it('accepts no reason', async () => {
    const { id } = await arrange('before start');
    const data = await server.ok(CancelSessionDocument, { id }, coach);
    expect(data.cancelSession).toMatchObject({ status: 'CANCELLED', cancellationReason: null });
  });

  it('refuses a reason longer than 500 characters with BAD_USER_INPUT on reason, writing nothing', async () => {
    const { id } = await arrange('before start');
    const before = await sessionState(server.db, id);
    const result = await server.request(CancelSessionDocument, { id, reason: 'x'.repeat(501) }, member);
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await sessionState(server.db, id)).toEqual(before);
    expect((await server.ok(CancelSessionDocument, { id, reason: 'x'.repeat(500) }, member)).cancelSession.status).toBe('CANCELLED');
  });
});

describe('completing and no-show', () => {
  it('records who completed the session and when', async () => {
    const { id } = await arrange('after start');
    const data = await server.ok(CompleteSessionDocument, { id }, coach);
    expect(data.completeSession).toMatchObject({ status: 'COMPLETED', cancelledAt: null });
    expect(new Date(data.completeSession.completedAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(data.completeSession.history.at(-1)).toMatchObject({ from: 'SCHEDULED', to: 'COMPLETED', actor: { id: coach.id } });
  });

  it('records the owner as the actor of a no-show', async () => {
    const { id } = await arrange('after start');
    const data = await server.ok(MarkNoShowDocument, { id }, owner);
    expect(data.markNoShow).toMatchObject({ status: 'NO_SHOW', completedAt: null });
    expect(data.markNoShow.history.at(-1)).toMatchObject({ from: 'SCHEDULED', to: 'NO_SHOW', actor: { id: owner.id } });
  });

  it('lets exactly one of two simultaneous transitions of one session win', async () => {
    for (let round = 0; round < 5; round++) {
      const { id } = await arrange('after start');
      // (MarkNoShow after a won CompleteSession would be an attendance correction, not a race.)
      const results = await Promise.all([
        server.request(CompleteSessionDocument, { id }, coach),
        server.request(CancelSessionDocument, { id }, coach),
        server.request(CancelSessionDocument, { id }, owner),
      ]);
      const winners = results.filter((result) => !result.errors);
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => errorOf(result).code === 'CONFLICT')).toHaveLength(2);
      const history = (await sessionState(server.db, id)).history as unknown[];
      expect(history).toHaveLength(2); // the arranged SCHEDULED entry and the one winner
    }
  });
});

describe('attendance corrections (COMPLETED <-> NO_SHOW within 7 days after the end)', () => {
  // Sessions of their own coach, member and room: past slots of the tables above never meet them.
  let nightCoach: TestUser;
  let nightMember: TestUser;
  let nightRoom: string;
  beforeAll(async () => {
    nightCoach = await server.user('COACH');
    nightMember = await server.user('MEMBER');
    nightRoom = await insertRoom(server.db);
  });

  it('lets the coach mark the no-show the morning after the nightly sweep completed the session, and the owner undo it, in history and live', async () => {
    const start = new Date(wholeHourFromNow(0).getTime() - 14 * HOUR_MS); // last night
    const id = await insertSession(server.db, { coachId: nightCoach.id, memberId: nightMember.id, roomId: nightRoom, start });
    await server.ok(GenerateSessionsDocument, {}, owner); // the sweep: SCHEDULED sessions that ended become COMPLETED
    expect((await sessionState(server.db, id)).status).toBe('COMPLETED');

    const client = wsClient(server, nightMember);
    const live = subscribe(client, SessionChangedDocument, {});
    try {
      // Probe with cancellations of the member's future sessions until the subscription is registered.
      let lastProbe = '';
      let probes = 0;
      const probe = async () => {
        lastProbe = await insertSession(server.db, { coachId: nightCoach.id, memberId: nightMember.id, roomId: nightRoom, start: new Date(wholeHourFromNow(24 * 60).getTime() + 2 * HOUR_MS * probes++) });
        await server.ok(CancelSessionDocument, { id: lastProbe }, nightCoach);
      };
      await waitUntilListening(live, probe, (data) => data.sessionChanged.session.id === lastProbe);

      const noShow = await server.ok(MarkNoShowDocument, { id }, nightCoach);
      expect(noShow.markNoShow).toMatchObject({ status: 'NO_SHOW', completedAt: null });
      expect(noShow.markNoShow.history.map((h) => [h.from, h.to, h.actor?.id ?? null])).toEqual([
        [null, 'SCHEDULED', null],
        ['SCHEDULED', 'COMPLETED', null],
        ['COMPLETED', 'NO_SHOW', nightCoach.id],
      ]);
      const heard = await live.next((data) => data.sessionChanged.session.id === id);
      expect(heard.data.sessionChanged).toMatchObject({ kind: 'STATUS_CHANGED', previousStatus: 'COMPLETED', session: { status: 'NO_SHOW' } });

      const undone = await server.ok(CompleteSessionDocument, { id }, owner);
      expect(undone.completeSession.status).toBe('COMPLETED');
      expect(undone.completeSession.history.at(-1)).toMatchObject({ from: 'NO_SHOW', to: 'COMPLETED', actor: { id: owner.id } });
      const heardAgain = await live.next((data) => data.sessionChanged.session.id === id && data.sessionChanged.previousStatus === 'NO_SHOW');
      expect(heardAgain.data.sessionChanged.session.status).toBe('COMPLETED');
    } finally {
      live.dispose();
      await client.dispose();
    }
  });

  it('refuses a correction from 7 days after the end (CONFLICT), by members (FORBIDDEN) and by other coaches (NOT_FOUND), writing nothing', async () => {
    const start = new Date(wholeHourFromNow(0).getTime() - 7 * DAY_MS - 2 * HOUR_MS); // ended 7 days and an hour ago
    const late = await insertSession(server.db, { coachId: nightCoach.id, memberId: nightMember.id, roomId: nightRoom, start, status: 'COMPLETED' });
    const before = await sessionState(server.db, late);
    expect(errorOf(await server.request(MarkNoShowDocument, { id: late }, owner))).toMatchObject({
      code: 'CONFLICT',
      message: "Attendance can be corrected only within 7 days after the session's end",
    });
    const recent = await insertSession(server.db, { coachId: nightCoach.id, memberId: nightMember.id, roomId: nightRoom, start: new Date(start.getTime() + 2 * DAY_MS), status: 'NO_SHOW' });
    const recentBefore = await sessionState(server.db, recent);
    expect(errorOf(await server.request(CompleteSessionDocument, { id: recent }, nightMember))).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(await server.request(CompleteSessionDocument, { id: recent }, otherCoach))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sessionState(server.db, late)).toEqual(before);
    expect(await sessionState(server.db, recent)).toEqual(recentBefore);
  });
});

describe('unknown sessions', () => {
  it.each([
    ['an id that does not exist', '00000000-0000-4000-8000-000000000000'],
    ['an id that is not a UUID', 'not-a-session'],
  ])('answers NOT_FOUND on id for %s', async (_label, id) => {
    for (const result of [
      await server.request(CancelSessionDocument, { id }, owner),
      await server.request(CompleteSessionDocument, { id }, owner),
      await server.request(MarkNoShowDocument, { id }, coach),
      await server.request(RescheduleSessionDocument, { id, startTime: wholeHourFromNow(72).toISOString() }, member),
    ]) {
      expect(errorOf(result)).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    }
  });
});

describe('rescheduling', () => {
  let hoursCoach: TestUser;
  let hoursMember: TestUser;
  let hoursRoom: string;
  /** Each test works on a day of its own, weeks away from the lifecycle table's slots; the coach works 08:00-18:00 UTC. */
  let day = 0;
  const at = (hour: number, minute = 0) => new Date(day + hour * HOUR_MS + minute * 60_000);
  let days = 0;
  beforeEach(() => {
    days += 1;
    day = Math.floor(Date.now() / DAY_MS) * DAY_MS + (30 + days) * DAY_MS;
  });

  beforeAll(async () => {
    hoursCoach = await server.user('COACH');
    hoursMember = await server.user('MEMBER');
    hoursRoom = await insertRoom(server.db);
    await weeklyHours(server.db, hoursCoach.id, 8 * 60, 18 * 60);
  });

  const arrangeAt = (start: Date, minutes = 60, parties: { coachId?: string; memberId?: string; roomId?: string } = {}) =>
    insertSession(server.db, {
      coachId: parties.coachId ?? hoursCoach.id,
      memberId: parties.memberId ?? hoursMember.id,
      roomId: parties.roomId ?? hoursRoom,
      start,
      minutes,
      occurrenceStart: start,
    });

  it('moves the session, keeping its duration and occurrenceStart, without a history entry', async () => {
    const id = await arrangeAt(at(9), 45);
    const data = await server.ok(RescheduleSessionDocument, { id, startTime: at(14, 30).toISOString() }, hoursMember);
    expect(data.rescheduleSession).toMatchObject({
      status: 'SCHEDULED',
      startTime: at(14, 30).toISOString(),
      endTime: at(15, 15).toISOString(),
      occurrenceStart: at(9).toISOString(),
    });
    expect(data.rescheduleSession.history.map((h) => h.to)).toEqual(['SCHEDULED']);
  });

  it('may overlap its own old time and sit back to back with another session', async () => {
    const id = await arrangeAt(at(10, 0));
    await arrangeAt(at(12, 0));
    const data = await server.ok(RescheduleSessionDocument, { id, startTime: at(11, 0).toISOString() }, hoursCoach);
    expect(data.rescheduleSession.endTime).toBe(at(12).toISOString());
    const again = await server.ok(RescheduleSessionDocument, { id, startTime: at(10, 30).toISOString() }, owner);
    expect(again.rescheduleSession.startTime).toBe(at(10, 30).toISOString());
  });

  const refusals: [string, () => Promise<{ id: string; startTime: Date }>, { code: string; field?: string; message?: string }][] = [
    ['into the past', async () => ({ id: await arrangeAt(at(8, 0)), startTime: new Date(Date.now() - HOUR_MS) }), { code: 'BAD_USER_INPUT', field: 'startTime' }],
    ['more than 730 days ahead', async () => ({ id: await arrangeAt(at(8, 0)), startTime: new Date(Date.now() + 731 * DAY_MS) }), { code: 'BAD_USER_INPUT', field: 'startTime' }],
    ['outside the coach’s weekly hours', async () => ({ id: await arrangeAt(at(8, 0)), startTime: at(17, 30) }), { code: 'BAD_USER_INPUT', field: 'startTime' }],
    [
      'into a block of the coach',
      async () => {
        await server.db.query(`INSERT INTO availability_blocks (coach_id, start_time, end_time) VALUES ($1, $2, $3)`, [hoursCoach.id, at(16), at(17)]);
        return { id: await arrangeAt(at(8, 0)), startTime: at(15, 30) };
      },
      { code: 'BAD_USER_INPUT', field: 'startTime' },
    ],
    [
      'onto another session of the coach',
      async () => {
        await arrangeAt(at(13, 0), 60, { memberId: (await server.user('MEMBER')).id, roomId: await insertRoom(server.db) });
        return { id: await arrangeAt(at(8, 0)), startTime: at(13, 30) };
      },
      { code: 'CONFLICT', message: 'The coach already has a session at that time' },
    ],
    [
      "onto the coach's other session in the same room (the coach is busy, not the room full)",
      async () => {
        await arrangeAt(at(13, 0), 60, { memberId: (await server.user('MEMBER')).id });
        return { id: await arrangeAt(at(8, 0)), startTime: at(13, 30) };
      },
      { code: 'CONFLICT', message: 'The coach already has a session at that time' },
    ],
    [
      'onto another session of the member',
      async () => {
        const busyCoach = await server.user('COACH');
        await arrangeAt(at(13, 0), 60, { coachId: busyCoach.id, roomId: await insertRoom(server.db) });
        const other = await server.user('COACH');
        await weeklyHours(server.db, other.id);
        return { id: await arrangeAt(at(8, 0), 60, { coachId: other.id, roomId: await insertRoom(server.db) }), startTime: at(12, 30) };
      },
      { code: 'CONFLICT', message: 'The member already has a session at that time' },
    ],
    [
      'into a full room',
      async () => {
        const room = await insertRoom(server.db, 1);
        const elsewhere = await server.user('COACH');
        await arrangeAt(at(15, 0), 60, { coachId: elsewhere.id, memberId: (await server.user('MEMBER')).id, roomId: room });
        const mover = await server.user('COACH');
        await weeklyHours(server.db, mover.id);
        return { id: await arrangeAt(at(8, 0), 60, { coachId: mover.id, memberId: (await server.user('MEMBER')).id, roomId: room }), startTime: at(15, 15) };
      },
      { code: 'CONFLICT', message: 'The room is full at that time' },
    ],
  ];

  it.each(refusals)('refuses a move %s, writing nothing', async (_label, setUp, expected) => {
    const { id, startTime } = await setUp();
    const before = await sessionState(server.db, id);
    const result = await server.request(RescheduleSessionDocument, { id, startTime: startTime.toISOString() }, owner);
    expect(errorOf(result)).toMatchObject(expected);
    expect(await sessionState(server.db, id)).toEqual(before);
  });

  it('lets only one of two sessions moved into the same free slot at the same moment have it', async () => {
    const room = await insertRoom(server.db, 5); // the coach's own exclusion constraint is what must decide
    for (let round = 0; round < 5; round++) {
      const coachOfBoth = await server.user('COACH');
      await weeklyHours(server.db, coachOfBoth.id);
      const first = await arrangeAt(at(8), 60, { coachId: coachOfBoth.id, memberId: (await server.user('MEMBER')).id, roomId: room });
      const second = await arrangeAt(at(9), 60, { coachId: coachOfBoth.id, memberId: (await server.user('MEMBER')).id, roomId: room });
      const target = at(20).toISOString();
      const results = await Promise.all([
        server.request(RescheduleSessionDocument, { id: first, startTime: target }, owner),
        server.request(RescheduleSessionDocument, { id: second, startTime: target }, owner),
      ]);
      expect(results.map((result) => errorOf(result).code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      const [{ n }] = await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM training_sessions WHERE coach_id = $1 AND start_time = $2`, [coachOfBoth.id, target]);
      expect(Number(n)).toBe(1);
    }
  });
});
