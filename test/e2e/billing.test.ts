import { loadConfig } from '../../src/config';
import { Sealer } from '../../src/auth/sealing';
import { createLogger } from '../../src/logger';
import { SessionService } from '../../src/services/session.service';
import { parseCsv } from '../../src/billing/csv';
import { CSV_HEADER } from '../../src/http/charges-export.route';
import {
  AddAdjustmentDocument,
  BookPricedSessionDocument,
  CancelRecurringBookingDocument,
  CancelSessionDocument,
  CompleteSessionDocument,
  CreateRecurringBookingDocument,
  CreditPacksDocument,
  GenerateSessionsDocument,
  GrantCreditPackDocument,
  MarkNoShowDocument,
  MemberStatementDocument,
  NotificationReceivedDocument,
  RescheduleSessionDocument,
  RevenueReportDocument,
  StudioSettingsDocument,
  UpdateCoachPriceDocument,
  UpdateStudioSettingsDocument,
} from '../generated/graphql';
import { INLINE_CHARGE_NOTICES_MAX } from '../../src/billing/ledger';
import { subscribe, waitUntilListening, wsClient } from '../support/live';
import { until } from '../support/notifications';
import { DAY_MS, HOUR_MS, insertRoom, weeklyHours, wholeHourFromNow } from '../support/sessions';
import { errorOf, startTestServer, TEST_JWT_SECRET, type TestServer, type TestUser } from '../support/server';

/**
 * Prices, charges, credit packs, statements and the CSV export (DESIGN.md "Prices and
 * charges"), through HTTP on a real database: every rule of the table, its edges, and
 * the bad input that must write nothing. The studio's timezone is Europe/Berlin so that
 * statements cross a DST change.
 */
const ZONE = 'Europe/Berlin';
const ENV = { STUDIO_TIMEZONE: ZONE, STUDIO_NAME: 'Iron Temple', STUDIO_CURRENCY: 'EUR' };
let server: TestServer;
let owner: TestUser;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer({ env: ENV });
  owner = await server.user('OWNER');
  roomId = await insertRoom(server.db, 50);
});
afterAll(() => server.stop());

interface ChargeLine {
  kind: string;
  amount_cents: number;
  paid_with_credit: boolean;
  credit_pack_id: string | null;
  reverses_id: string | null;
  created_by: string | null;
}

async function people(price: number | null = 4000): Promise<{ coach: TestUser; member: TestUser }> {
  const coach = await server.user('COACH');
  const member = await server.user('MEMBER');
  await weeklyHours(server.db, coach.id);
  if (price !== null) await server.ok(UpdateCoachPriceDocument, { input: { coachId: coach.id, sessionPriceCents: price, defaultRoomId: roomId } }, owner);
  return { coach, member };
}

let slot = 0;
/** A session of its own hour (no overlaps); the price as the database fixes it when null. */
async function arrange(coach: TestUser, member: TestUser, start: Date, priceCents?: number | null): Promise<string> {
  const [row] = await server.db.query<{ id: string }>(
    `WITH s AS (
       INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, price_cents)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
     ), h AS (INSERT INTO session_status_changes (session_id, from_status, to_status, at) SELECT id, NULL, 'SCHEDULED', now() FROM s)
     SELECT id FROM s`,
    [coach.id, member.id, roomId, start, new Date(start.getTime() + HOUR_MS), priceCents ?? null],
  );
  return row.id;
}
const past = () => new Date(wholeHourFromNow(0).getTime() - HOUR_MS * (2 + 2 * slot++));
const future = (hours = 72) => new Date(wholeHourFromNow(hours).getTime() + HOUR_MS * 2 * slot++);

const charges = (sessionId: string) =>
  server.db.query<ChargeLine>(
    'SELECT kind::text, amount_cents, paid_with_credit, credit_pack_id::text, reverses_id::text, created_by::text FROM charges WHERE session_id = $1 ORDER BY created_at, id',
    [sessionId],
  );

async function policy(input: Record<string, unknown>) {
  await server.ok(UpdateStudioSettingsDocument, { input }, owner);
}

describe('studio settings', () => {
  it('start from STUDIO_NAME / STUDIO_CURRENCY and the documented defaults; everyone reads them', async () => {
    const member = await server.user('MEMBER');
    const { studioSettings } = await server.ok(StudioSettingsDocument, {}, member);
    expect(studioSettings).toEqual({ name: 'Iron Temple', currency: 'EUR', lateCancelWindowMinutes: 1440, lateCancelFeePercent: 100, noShowFeePercent: 100, reminderLeadMinutes: [1440] });
  });

  it('are changed by owners only; a fee may be 0', async () => {
    const coach = await server.user('COACH');
    expect(errorOf(await server.request(UpdateStudioSettingsDocument, { input: { noShowFeePercent: 0 } }, coach)).code).toBe('FORBIDDEN');
    const { updateStudioSettings } = await server.ok(UpdateStudioSettingsDocument, { input: { currency: 'JPY', noShowFeePercent: 0, reminderLeadMinutes: [60, 1440] } }, owner);
    expect(updateStudioSettings).toMatchObject({ currency: 'JPY', noShowFeePercent: 0, lateCancelFeePercent: 100, reminderLeadMinutes: [60, 1440] });
    await policy({ currency: 'EUR', noShowFeePercent: 100, reminderLeadMinutes: [1440] });
  });

  it.each([
    [{ currency: 'XYZ' }, 'input.currency'],
    [{ currency: 'eur' }, 'input.currency'],
    [{ lateCancelWindowMinutes: -1 }, 'input.lateCancelWindowMinutes'],
    [{ lateCancelWindowMinutes: 10081 }, 'input.lateCancelWindowMinutes'],
    [{ lateCancelFeePercent: 101 }, 'input.lateCancelFeePercent'],
    [{ noShowFeePercent: -1 }, 'input.noShowFeePercent'],
    [{ reminderLeadMinutes: [1] }, 'input.reminderLeadMinutes.0'],
    [{ name: '   ' }, 'input.name'],
  ])('refuse %j naming %s, writing nothing', async (input, field) => {
    const before = await server.db.query('SELECT * FROM studio_settings');
    expect(errorOf(await server.request(UpdateStudioSettingsDocument, { input }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await server.db.query('SELECT * FROM studio_settings')).toEqual(before);
  });
});

describe('prices fixed on sessions when they are created', () => {
  it("one-off: the owner's price, else the coach's; later price changes and rescheduling keep it", async () => {
    const { coach, member } = await people(4000);
    const start = future();
    const own = await server.ok(BookPricedSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString() } }, member);
    expect(own.bookSession.priceCents).toBe(4000);
    const priced = await server.ok(BookPricedSessionDocument, { input: { coachId: coach.id, memberId: member.id, startTime: future().toISOString(), priceCents: 0 } }, owner);
    expect(priced.bookSession.priceCents).toBe(0);
    await server.ok(UpdateCoachPriceDocument, { input: { sessionPriceCents: 5000 } }, coach);
    await server.ok(RescheduleSessionDocument, { id: own.bookSession.id, startTime: new Date(start.getTime() + HOUR_MS).toISOString() }, member);
    const [row] = await server.db.query<{ price_cents: number }>('SELECT price_cents FROM training_sessions WHERE id = $1', [own.bookSession.id]);
    expect(row.price_cents).toBe(4000);
  });

  it("generated: the series' price, else the coach's", async () => {
    const { coach, member } = await people(3000);
    const tomorrow = new Date(Date.now() + DAY_MS);
    const base = { coachId: coach.id, memberId: member.id, roomId, startTime: '10:00', endTime: '11:00', startDate: tomorrow.toISOString().slice(0, 10), timezone: 'UTC' };
    const plain = await server.ok(CreateRecurringBookingDocument, { input: { ...base, dayOfWeek: tomorrow.getUTCDay() } }, owner);
    const own = await server.ok(CreateRecurringBookingDocument, { input: { ...base, dayOfWeek: (tomorrow.getUTCDay() + 1) % 7, priceCents: 2200 } }, owner);
    const prices = async (id: string) =>
      (await server.db.query<{ price_cents: number }>('SELECT DISTINCT price_cents FROM training_sessions WHERE recurring_booking_id = $1', [id])).map((r) => r.price_cents);
    expect(await prices(plain.createRecurringBooking.id)).toEqual([3000]);
    expect(await prices(own.createRecurringBooking.id)).toEqual([2200]);
  });

  it.each([-1, 100_000_001])('refuses the price %d naming the field, writing nothing', async (price) => {
    const { coach, member } = await people(null);
    const count = async () => (await server.db.query('SELECT 1 FROM training_sessions WHERE coach_id = $1', [coach.id])).length;
    expect(errorOf(await server.request(BookPricedSessionDocument, { input: { coachId: coach.id, memberId: member.id, startTime: future().toISOString(), roomId, priceCents: price } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.priceCents' });
    expect(errorOf(await server.request(UpdateCoachPriceDocument, { input: { coachId: coach.id, sessionPriceCents: price } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.sessionPriceCents' });
    expect(await count()).toBe(0);
  });

  it('lets only owners set a price on a booking', async () => {
    const { coach, member } = await people(4000);
    expect(errorOf(await server.request(BookPricedSessionDocument, { input: { coachId: coach.id, startTime: future().toISOString(), priceCents: 1 } }, member)).code).toBe('FORBIDDEN');
  });
});

describe('charges, one per (session, kind), written with the status change', () => {
  it('COMPLETED by a coach: SESSION = price, created by the coach', async () => {
    const { coach, member } = await people(4000);
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    expect(await charges(id)).toEqual([{ kind: 'SESSION', amount_cents: 4000, paid_with_credit: false, credit_pack_id: null, reverses_id: null, created_by: coach.id }]);
  });

  it('COMPLETED by the nightly sweep: SESSION = price, no author', async () => {
    const { coach, member } = await people(2500);
    const id = await arrange(coach, member, past());
    await server.ok(GenerateSessionsDocument, {}, owner);
    expect(await charges(id)).toEqual([{ kind: 'SESSION', amount_cents: 2500, paid_with_credit: false, credit_pack_id: null, reverses_id: null, created_by: null }]);
  });

  it('NO_SHOW: price x noShowFeePercent / 100, cents rounded half up; 0% writes nothing', async () => {
    const { coach, member } = await people(999);
    await policy({ noShowFeePercent: 50 });
    const id = await arrange(coach, member, past());
    await server.ok(MarkNoShowDocument, { id }, coach);
    expect(await charges(id)).toMatchObject([{ kind: 'NO_SHOW_FEE', amount_cents: 500 }]);
    await policy({ noShowFeePercent: 0 });
    const free = await arrange(coach, member, past());
    await server.ok(MarkNoShowDocument, { id: free }, coach);
    expect(await charges(free)).toEqual([]);
    await policy({ noShowFeePercent: 100 });
  });

  it('a session without a price charges nothing', async () => {
    const { coach, member } = await people(null);
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    expect(await charges(id)).toEqual([]);
  });

  it("a member's own cancellation inside the window: LATE_CANCEL_FEE; outside it, or by staff: nothing", async () => {
    const { coach, member } = await people(4000);
    await policy({ lateCancelFeePercent: 25, lateCancelWindowMinutes: 1440 });
    const late = await arrange(coach, member, wholeHourFromNow(3));
    const early = await arrange(coach, member, wholeHourFromNow(30));
    const byStaff = await arrange(coach, member, wholeHourFromNow(5));
    await server.ok(CancelSessionDocument, { id: late }, member);
    await server.ok(CancelSessionDocument, { id: early }, member);
    await server.ok(CancelSessionDocument, { id: byStaff }, coach);
    expect(await charges(late)).toMatchObject([{ kind: 'LATE_CANCEL_FEE', amount_cents: 1000, created_by: member.id }]);
    expect(await charges(early)).toEqual([]);
    expect(await charges(byStaff)).toEqual([]);
    await policy({ lateCancelFeePercent: 100 });
  });

  it('exactly at the window is not late; a millisecond inside is (clock injected)', async () => {
    const { coach, member } = await people(4000);
    await policy({ lateCancelFeePercent: 100, lateCancelWindowMinutes: 1440 });
    const start = future(30);
    const atWindow = await arrange(coach, member, start);
    const inside = await arrange(coach, member, new Date(start.getTime() + HOUR_MS));
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://unused', ...ENV });
    const at = (now: Date) =>
      new SessionService({ db: server.app.db, config, events: server.app.events, log: createLogger('silent'), metrics: server.app.metrics, sealer: new Sealer(TEST_JWT_SECRET), now: () => now });
    const actor = { id: member.id, role: 'MEMBER' as const };
    await at(new Date(start.getTime() - 1440 * 60_000)).cancel(actor, atWindow);
    await at(new Date(start.getTime() + HOUR_MS - 1440 * 60_000 + 1)).cancel(actor, inside);
    expect(await charges(atWindow)).toEqual([]);
    expect(await charges(inside)).toMatchObject([{ kind: 'LATE_CANCEL_FEE', amount_cents: 4000 }]);
  });

  it("a member's series cancellation charges the sessions inside the window only; the owner's charges nothing", async () => {
    const { coach, member } = await people(4000);
    await policy({ lateCancelWindowMinutes: 10080 });
    const tomorrow = new Date(Date.now() + DAY_MS);
    const input = { coachId: coach.id, memberId: member.id, roomId, dayOfWeek: tomorrow.getUTCDay(), startTime: '10:00', endTime: '11:00', startDate: tomorrow.toISOString().slice(0, 10), timezone: 'UTC' };
    const mine = await server.ok(CreateRecurringBookingDocument, { input }, owner);
    await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: mine.createRecurringBooking.id } }, member);
    const fees = await server.db.query<{ start_time: Date }>(
      `SELECT s.start_time FROM charges c JOIN training_sessions s ON s.id = c.session_id WHERE s.recurring_booking_id = $1 AND c.kind = 'LATE_CANCEL_FEE'`,
      [mine.createRecurringBooking.id],
    );
    expect(fees).toHaveLength(1);
    expect(fees[0].start_time.getTime() - Date.now()).toBeLessThan(7 * DAY_MS);
    const other = await server.ok(CreateRecurringBookingDocument, { input: { ...input, dayOfWeek: (input.dayOfWeek + 2) % 7 } }, owner);
    await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: other.createRecurringBooking.id } }, owner);
    expect(await server.db.query(`SELECT 1 FROM charges c JOIN training_sessions s ON s.id = c.session_id WHERE s.recurring_booking_id = $1`, [other.createRecurringBooking.id])).toEqual([]);
    await policy({ lateCancelWindowMinutes: 1440 });
  });

  it('no double charge when a coach completes a session while the sweep runs', async () => {
    const { coach, member } = await people(4000);
    const ids = [await arrange(coach, member, past()), await arrange(coach, member, past()), await arrange(coach, member, past())];
    await Promise.all([server.request(GenerateSessionsDocument, {}, owner), ...ids.map((id) => server.request(CompleteSessionDocument, { id }, coach))]);
    for (const id of ids) expect(await charges(id)).toMatchObject([{ kind: 'SESSION', amount_cents: 4000 }]);
  });

  it("the sweep's CHARGE_CREATED for more than 100 charges are written right after commit by the outbox, once each, also when delivered twice", async () => {
    const { coach } = await people(1500);
    const members = await Promise.all(Array.from({ length: INLINE_CHARGE_NOTICES_MAX + 1 }, () => server.user('MEMBER')));
    const sessions: string[] = [];
    // Hours of their own, weeks back: the coach is new, and other specs' slots stay recent.
    for (const [i, member] of members.entries()) sessions.push(await arrange(coach, member, new Date(wholeHourFromNow(0).getTime() - 20 * DAY_MS - i * HOUR_MS)));
    const watcher = wsClient(server, members[0]);
    const live = subscribe(watcher, NotificationReceivedDocument);
    try {
      // A waiver notifies at once (one charge): proof the subscription listens.
      await waitUntilListening(
        live,
        async () => void (await server.ok(AddAdjustmentDocument, { input: { memberId: members[0].id, amountCents: -1, description: 'Probe' } }, owner)),
        (d) => d.notificationReceived.kind === 'CHARGE_CREATED',
      );
      await server.ok(GenerateSessionsDocument, {}, owner);
      const event = await live.next((d) => d.notificationReceived.session?.id === sessions[0], 15_000);
      expect(event.data.notificationReceived).toMatchObject({ kind: 'CHARGE_CREATED', body: 'Session: €15.00.' });
    } finally {
      live.dispose();
      await watcher.dispose();
    }
    const noticed = () =>
      server.db.query<{ n: number; people: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS people FROM notifications WHERE kind = 'CHARGE_CREATED' AND session_id = ANY($1::uuid[])",
        [sessions],
      );
    await until(async () => (await noticed())[0].n === sessions.length, 15_000, 'every charge to be noticed');
    expect(await noticed()).toEqual([{ n: sessions.length, people: members.length }]);
    // The sweep's own transaction held one CHARGE_NOTICES row; delivered again, it writes nothing new.
    const rows = await server.db.query<{ id: string; status: string }>(
      "SELECT id::text, status::text FROM outbox_messages WHERE channel = 'CHARGE_NOTICES' AND payload->'chargeIds' ?| (SELECT array_agg(id::text) FROM charges WHERE session_id = ANY($1::uuid[]))",
      [sessions],
    );
    expect(rows).toEqual([{ id: expect.any(String), status: 'SENT' }]);
    await server.db.query("UPDATE outbox_messages SET status = 'PENDING', next_attempt_at = now(), locked_until = NULL WHERE id = $1", [rows[0].id]);
    server.app.outbox.kick();
    await until(async () => (await server.db.query<{ status: string }>('SELECT status::text FROM outbox_messages WHERE id = $1', [rows[0].id]))[0].status === 'SENT', 15_000, 'the second delivery');
    expect(await noticed()).toEqual([{ n: sessions.length, people: members.length }]);
  });

  it('the ledger refuses a second line for the same (session, kind) and any edit', async () => {
    const { coach, member } = await people(4000);
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    await expect(server.db.query(`INSERT INTO charges (member_id, kind, session_id, amount_cents, currency, description) VALUES ($1, 'SESSION', $2, 1, 'EUR', 'again')`, [member.id, id])).rejects.toThrow(/charges_session_kind_key/);
    await expect(server.db.query('UPDATE charges SET amount_cents = 0 WHERE session_id = $1', [id])).rejects.toThrow(/append-only/);
  });

  it('an attendance correction posts a reversal and the new line, and back again a reinstatement', async () => {
    const { coach, member } = await people(4000);
    await policy({ noShowFeePercent: 50 });
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    await server.ok(MarkNoShowDocument, { id }, coach);
    await server.ok(CompleteSessionDocument, { id }, coach);
    const lines = await charges(id);
    const pairs = lines.map((l) => [l.kind, l.amount_cents]);
    // Each correction writes its two lines at one instant: their order within it is not part of the rule.
    expect(pairs.slice(0, 3).sort()).toEqual([['ADJUSTMENT', -4000], ['NO_SHOW_FEE', 2000], ['SESSION', 4000]]);
    expect(pairs.slice(3).sort()).toEqual([['ADJUSTMENT', -2000], ['ADJUSTMENT', 4000]]);
    expect(lines.filter((l) => l.reverses_id !== null)).toHaveLength(3);
    expect(lines.reduce((sum, l) => sum + l.amount_cents, 0)).toBe(4000);
    await policy({ noShowFeePercent: 100 });
  });
  it('a correction whose reversal gives back the last credit of a pack pays the new line with that credit', async () => {
    const { coach, member } = await people(4000);
    const pack = await server.ok(GrantCreditPackDocument, { input: { memberId: member.id, credits: 1, priceCents: 3500 } }, owner);
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    await server.ok(MarkNoShowDocument, { id }, coach);
    const lines = (await charges(id)).map((l) => [l.kind, l.amount_cents, l.paid_with_credit, l.credit_pack_id]);
    expect(lines.sort()).toEqual(
      [
        ['ADJUSTMENT', 0, true, pack.grantCreditPack.id],
        ['NO_SHOW_FEE', 0, true, pack.grantCreditPack.id],
        ['SESSION', 0, true, pack.grantCreditPack.id],
      ].sort(),
    );
    const [{ remaining }] = await server.db.query<{ remaining: number }>('SELECT remaining FROM credit_packs WHERE id = $1', [pack.grantCreditPack.id]);
    expect(remaining).toBe(0);
  });
});

describe('credit packs', () => {
  it('pay a charge with one credit of the pack expiring first; the purchase is a PACK_PURCHASE line', async () => {
    const { coach, member } = await people(4000);
    const later = await server.ok(GrantCreditPackDocument, { input: { memberId: member.id, credits: 5, priceCents: 15000, expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString() } }, owner);
    const sooner = await server.ok(GrantCreditPackDocument, { input: { memberId: member.id, credits: 2, priceCents: 7000, expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString() } }, owner);
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    expect(await charges(id)).toMatchObject([{ kind: 'SESSION', amount_cents: 0, paid_with_credit: true, credit_pack_id: sooner.grantCreditPack.id }]);
    const { creditPacks } = await server.ok(CreditPacksDocument, {}, member);
    expect(creditPacks.map((p) => [p.id, p.remaining])).toEqual([[later.grantCreditPack.id, 5], [sooner.grantCreditPack.id, 1]]);
    const purchases = await server.db.query<{ amount_cents: number }>(`SELECT amount_cents FROM charges WHERE member_id = $1 AND kind = 'PACK_PURCHASE' ORDER BY amount_cents`, [member.id]);
    expect(purchases.map((p) => p.amount_cents)).toEqual([7000, 15000]);
  });

  it('are not used when expired at the session start', async () => {
    const { coach, member } = await people(4000);
    const start = past();
    await server.db.query(`INSERT INTO credit_packs (member_id, credits, remaining, price_cents, purchased_at, expires_at) VALUES ($1, 3, 3, 0, $2, $3)`, [member.id, new Date(start.getTime() - 30 * DAY_MS), new Date(start.getTime() - 1)]);
    const id = await arrange(coach, member, start);
    await server.ok(CompleteSessionDocument, { id }, coach);
    expect(await charges(id)).toMatchObject([{ kind: 'SESSION', amount_cents: 4000, paid_with_credit: false }]);
  });

  it('give their last credit to one of two completions at once', async () => {
    const { coach, member } = await people(4000);
    await server.ok(GrantCreditPackDocument, { input: { memberId: member.id, credits: 1, priceCents: 3500 } }, owner);
    const ids = [await arrange(coach, member, past()), await arrange(coach, member, past())];
    await Promise.all(ids.map((id) => server.ok(CompleteSessionDocument, { id }, coach)));
    const lines = (await Promise.all(ids.map(charges))).flat();
    expect(lines.map((l) => [l.paid_with_credit, l.amount_cents]).sort()).toEqual([[false, 4000], [true, 0]]);
    const [pack] = await server.db.query<{ remaining: number }>('SELECT remaining FROM credit_packs WHERE member_id = $1', [member.id]);
    expect(pack.remaining).toBe(0);
  });

  it.each([
    [{ credits: 0 }, 'input.credits'],
    [{ credits: 1001 }, 'input.credits'],
    [{ priceCents: -1 }, 'input.priceCents'],
    [{ expiresAt: new Date(Date.now() - DAY_MS).toISOString() }, 'input.expiresAt'],
  ])('refuse %j naming %s, writing nothing', async (bad, field) => {
    const member = await server.user('MEMBER');
    const result = await server.request(GrantCreditPackDocument, { input: { memberId: member.id, credits: 10, priceCents: 100, ...bad } }, owner);
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await server.db.query('SELECT 1 FROM credit_packs WHERE member_id = $1', [member.id])).toEqual([]);
    expect(await server.db.query('SELECT 1 FROM charges WHERE member_id = $1', [member.id])).toEqual([]);
  });

  it("are another member's business: an empty list", async () => {
    const { member } = await people(null);
    const other = await server.user('MEMBER');
    await server.ok(GrantCreditPackDocument, { input: { memberId: member.id, credits: 1, priceCents: 100 } }, owner);
    expect((await server.ok(CreditPacksDocument, { memberId: member.id }, other)).creditPacks).toEqual([]);
    expect(errorOf(await server.request(GrantCreditPackDocument, { input: { memberId: member.id, credits: 1, priceCents: 100 } }, member)).code).toBe('FORBIDDEN');
  });
});

describe('adjustments, statements, revenue and the CSV export', () => {
  it.each([
    [{ amountCents: 0 }, 'input.amountCents'],
    [{ amountCents: 100_000_001 }, 'input.amountCents'],
    [{ description: '  ' }, 'input.description'],
  ])('adjustments refuse %j naming %s, writing nothing', async (bad, field) => {
    const member = await server.user('MEMBER');
    const result = await server.request(AddAdjustmentDocument, { input: { memberId: member.id, amountCents: -500, description: 'Waiver', ...bad } }, owner);
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await server.db.query('SELECT 1 FROM charges WHERE member_id = $1', [member.id])).toEqual([]);
  });

  it('a waiver is a negative adjustment that notifies the member (CHARGE_CREATED)', async () => {
    const member = await server.user('MEMBER');
    const { addAdjustment } = await server.ok(AddAdjustmentDocument, { input: { memberId: member.id, amountCents: -500, description: 'Waived: late cancel, snow storm' } }, owner);
    expect(addAdjustment).toMatchObject({ kind: 'ADJUSTMENT', amountCents: -500, currency: 'EUR', paidWithCredit: false, createdBy: { id: owner.id }, member: { id: member.id } });
    const notes = await server.db.query<{ kind: string }>('SELECT kind::text FROM notifications WHERE user_id = $1', [member.id]);
    expect(notes).toEqual([{ kind: 'CHARGE_CREATED' }]);
  });

  it("statements count charges by createdAt in the studio's timezone, across a DST change and month ends", async () => {
    const member = await server.user('MEMBER');
    const line = (at: string, cents: number) =>
      server.db.query(`INSERT INTO charges (member_id, kind, amount_cents, currency, description, created_at) VALUES ($1, 'ADJUSTMENT', $2, 'EUR', $3, $4)`, [member.id, cents, `at ${at}`, at]);
    await line('2026-02-28T22:59:00Z', 1); // 23:59 Feb 28 in Berlin: February
    await line('2026-02-28T23:00:00Z', 10); // 00:00 Mar 1: March
    await line('2026-03-29T00:30:00Z', 100); // 01:30 CET on the DST day
    await line('2026-03-29T01:30:00Z', 1000); // 03:30 CEST, same day
    await line('2026-03-31T21:59:00Z', 10000); // 23:59 CEST Mar 31: March
    await line('2026-03-31T22:00:00Z', 100000); // 00:00 Apr 1: April
    const { memberStatement } = await server.ok(MemberStatementDocument, { memberId: member.id, from: '2026-03-01', to: '2026-03-31' }, owner);
    expect(memberStatement.charges.map((c) => c.amountCents)).toEqual([10, 100, 1000, 10000]);
    expect(memberStatement).toMatchObject({ totalCents: 11110, currency: 'EUR', from: '2026-03-01', to: '2026-03-31', creditsUsed: 0 });
    const dstDay = await server.ok(MemberStatementDocument, { memberId: member.id, from: '2026-03-29', to: '2026-03-29' }, owner);
    expect(dstDay.memberStatement.totalCents).toBe(1100);
    const own = await server.request(MemberStatementDocument, { memberId: member.id, from: '2026-03-01', to: '2026-03-31' }, await server.user('MEMBER'));
    expect(errorOf(own).code).toBe('NOT_FOUND');
  });

  it.each([
    [{ from: '2026-01-01', to: '2027-01-02' }, 'to'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
  ])('statements refuse %j naming %s', async (range, field) => {
    const member = await server.user('MEMBER');
    expect(errorOf(await server.request(MemberStatementDocument, range, member))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('the CSV export parsed back equals the statement; owners only', async () => {
    const { coach, member } = await people(4000);
    const id = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id }, coach);
    await server.ok(AddAdjustmentDocument, { input: { memberId: member.id, amountCents: -1234, description: 'Goodwill, "loyal" member\nsecond line' } }, owner);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
    const { memberStatement } = await server.ok(MemberStatementDocument, { memberId: member.id, from: today, to: today }, owner);
    const url = `${server.url.replace(/\/graphql$/, '')}/exports/charges.csv?from=${today}&to=${today}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${member.token}` } })).status).toBe(403);
    expect((await fetch(url.replace(`to=${today}`, 'to=1999-01-01'), { headers: { authorization: `Bearer ${owner.token}` } })).status).toBe(400);
    const response = await fetch(url, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...records] = parseCsv(await response.text());
    expect(header).toEqual(CSV_HEADER);
    const mine = records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))).filter((r) => r.memberId === member.id);
    expect(mine.map((r) => ({ id: r.id, kind: r.kind, amountCents: Number(r.amountCents), description: r.description, createdAt: r.createdAt, paidWithCredit: r.paidWithCredit === 'true' }))).toEqual(
      memberStatement.charges.map((c) => ({ id: c.id, kind: c.kind, amountCents: c.amountCents, description: c.description, createdAt: c.createdAt, paidWithCredit: c.paidWithCredit })),
    );
    expect(mine.map((r) => r.amount)).toEqual(['40.00', '-12.34']);
  });

  it('revenue per coach: sessions completed and fees charged, owners only', async () => {
    const { coach, member } = await people(4000);
    await policy({ noShowFeePercent: 50 });
    await server.ok(CompleteSessionDocument, { id: await arrange(coach, member, past()) }, coach);
    await server.ok(MarkNoShowDocument, { id: await arrange(coach, member, past()) }, coach);
    const corrected = await arrange(coach, member, past());
    await server.ok(CompleteSessionDocument, { id: corrected }, coach);
    await server.ok(MarkNoShowDocument, { id: corrected }, coach);
    await policy({ noShowFeePercent: 100 });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
    const { revenueReport } = await server.ok(RevenueReportDocument, { from: today, to: today }, owner);
    expect(revenueReport.find((l) => l.coach.id === coach.id)).toEqual({ coach: { id: coach.id }, sessions: 1, sessionCents: 4000, classes: 0, classCents: 0, feeCents: 4000, totalCents: 8000 });
    expect(errorOf(await server.request(RevenueReportDocument, { from: today, to: today }, coach)).code).toBe('FORBIDDEN');
  });

  it('a charge is a CHARGE_CREATED webhook shaped like the Charge type', async () => {
    // Arranged in the table: delivery is the webhooks suite's subject; here, the event and its payload.
    await server.db.query(`INSERT INTO webhook_endpoints (url, events, secret_sealed) VALUES ('https://example.test/hook', '{CHARGE_CREATED}', '\\x00')`);
    const member = await server.user('MEMBER');
    const { addAdjustment } = await server.ok(AddAdjustmentDocument, { input: { memberId: member.id, amountCents: 700, description: 'Towel' } }, owner);
    const [delivery] = await server.db.query<{ body: string }>(`SELECT body FROM webhook_deliveries WHERE event_type = 'CHARGE_CREATED' AND body LIKE $1`, [`%${addAdjustment.id}%`]);
    const body = JSON.parse(delivery.body) as { type: string; data: Record<string, unknown> };
    expect(body.type).toBe('charge.created');
    expect(body.data).toEqual({
      id: addAdjustment.id, member: { id: member.id }, kind: 'ADJUSTMENT', session: null, creditPack: null, amountCents: 700, currency: 'EUR',
      paidWithCredit: false, description: 'Towel', createdAt: addAdjustment.createdAt, createdBy: { id: owner.id },
    });
  });

  it('the currency is fixed once charges exist; new studio reminder leads apply to upcoming sessions at once', async () => {
    const result = await server.request(UpdateStudioSettingsDocument, { input: { currency: 'USD' } }, owner);
    expect(errorOf(result).code).toBe('CONFLICT');
    expect((await server.ok(StudioSettingsDocument, {}, owner)).studioSettings.currency).toBe('EUR');
    const { coach, member } = await people(null);
    const id = await arrange(coach, member, wholeHourFromNow(100));
    await server.db.query(`INSERT INTO session_reminders (session_id, user_id, lead_minutes, session_start, due_at) SELECT id, member_id, 1440, start_time, start_time - interval '1440 minutes' FROM training_sessions WHERE id = $1`, [id]);
    await policy({ reminderLeadMinutes: [60] });
    const reminders = await server.db.query<{ lead_minutes: number; status: string }>('SELECT lead_minutes, status::text FROM session_reminders WHERE session_id = $1 ORDER BY lead_minutes', [id]);
    expect(reminders).toEqual([{ lead_minutes: 60, status: 'PENDING' }, { lead_minutes: 1440, status: 'VOID' }]);
    await policy({ reminderLeadMinutes: [1440] });
  });
});
