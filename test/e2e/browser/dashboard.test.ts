import { writeFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CancelSessionDocument, CreateClassTypeDocument, EnrollInClassDocument, ScheduleClassDocument } from '../../generated/graphql';
import { ARTEFACTS, buildBrowserCode, describeInChromium, foreignRequests, launchChromium, recordPage, type PageRecord } from '../../support/browser';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { codeIn, startSmtpSink, type SmtpSink } from '../../support/smtp';
import { startTestServer, TEST_JWT_SECRET, type TestServer, type TestUser } from '../../support/server';
import { HOUR_MS, insertSession, sessionState } from '../../support/sessions';

/**
 * The front-desk board at /dashboard in a real Chromium whose own clock runs in
 * another zone than the studio's, able to resolve nothing but the loopback.
 */
const HOSTILE = '<img src=x onerror=alert(1)>';
const TABLET = { width: 1180, height: 820 };

/** A fixed-offset studio zone in which it is about noon now, so sessions a few hours either side share its day. */
const OFFSET_HOURS = 12 - new Date().getUTCHours();
const ZONE = OFFSET_HOURS === 0 ? 'Etc/UTC' : `Etc/GMT${OFFSET_HOURS > 0 ? '-' : '+'}${Math.abs(OFFSET_HOURS)}`; // Etc/GMT-5 is UTC+5
const localDate = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
const clock = (instant: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
const range = (start: Date, minutes = 60) => `${clock(start)}–${clock(new Date(start.getTime() + minutes * 60_000))}`;

let browser: Browser;
beforeAll(async () => {
  await buildBrowserCode();
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** A tablet whose own timezone is not the studio's, signed in with `token` (as the page keeps it: sessionStorage). */
async function tablet(token: string): Promise<{ context: BrowserContext; page: Page; record: PageRecord; alerts: string[] }> {
  const context = await browser.newContext({ viewport: TABLET, timezoneId: 'Pacific/Kiritimati', locale: 'en-GB' });
  await context.addInitScript((value) => {
    const storage = (globalThis as any).sessionStorage; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!storage.getItem('booking.accessToken')) storage.setItem('booking.accessToken', value);
  }, token);
  const page = await context.newPage();
  const record = recordPage(page);
  const alerts: string[] = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, record, alerts };
}

const card = (page: Page, id: string) => page.locator(`[data-session-id="${id}"]`);
const statusOf = (page: Page, id: string) => card(page, id).getAttribute('data-status');
async function rooms(db: TestDatabase, ...names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) ids.push((await db.query<{ id: string }>(`INSERT INTO rooms (name) VALUES ($1) RETURNING id`, [name]))[0].id);
  return ids;
}

describeInChromium('the board for a day', () => {
  let server: TestServer;
  let owner: TestUser;
  let page: Page;
  let context: BrowserContext;
  let record: PageRecord;
  let alerts: string[];
  const ids: Record<string, string> = {};
  // The current hour started at most an hour ago: sessions from then on have started, later ones have not.
  const started = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS);
  const later = new Date(started.getTime() + 3 * HOUR_MS);
  const day = localDate(started);

  beforeAll(async () => {
    server = await startTestServer({ env: { STUDIO_TIMEZONE: ZONE } });
    owner = await server.user('OWNER', 'Front Desk');
    const ana = await server.user('COACH', 'Ana "the coach" <b>bold</b>');
    const ben = await server.user('COACH', 'Ben');
    const [hostile, maria, tom, zoe] = [await server.user('MEMBER', HOSTILE), await server.user('MEMBER', 'Maria'), await server.user('MEMBER', 'Tom'), await server.user('MEMBER', 'Zoe')];
    const [studio, yard] = await rooms(server.db, 'Studio 1', 'Yard <script>alert(2)</script>');
    ids.hostile = await insertSession(server.db, { coachId: ana.id, memberId: hostile.id, roomId: studio, start: started });
    ids.maria = await insertSession(server.db, { coachId: ben.id, memberId: maria.id, roomId: yard, start: started });
    ids.tom = await insertSession(server.db, { coachId: ana.id, memberId: tom.id, roomId: studio, start: later });
    ids.zoe = await insertSession(server.db, { coachId: ben.id, memberId: zoe.id, roomId: yard, start: later, minutes: 45 });
    // Another day's session stays off this day's board.
    await insertSession(server.db, { coachId: ben.id, memberId: zoe.id, roomId: yard, start: new Date(started.getTime() + 30 * HOUR_MS) });
    ({ context, page, record, alerts } = await tablet(owner.token));
    await page.goto(`${new URL(server.url).origin}/dashboard?date=${day}`);
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.locator('[data-session-id]').nth(3).waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it("shows the day's sessions by coach, each with its status, member, room and time in the studio's timezone", async () => {
    expect(await page.locator('[data-session-id]').count()).toBe(4);
    const columns = page.locator('.column');
    expect(await columns.locator('h2').allTextContents()).toEqual(['Ana "the coach" <b>bold</b>', 'Ben']);
    expect(await columns.nth(0).locator('[data-session-id]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-session-id')))).toEqual([ids.hostile, ids.tom]);
    const first = card(page, ids.hostile);
    expect(await first.getAttribute('data-status')).toBe('SCHEDULED');
    expect(await first.locator('.time').textContent()).toBe(range(started));
    expect(await first.locator('.member').textContent()).toBe(HOSTILE);
    expect(await first.locator('.where').textContent()).toBe('Studio 1');
    expect(await card(page, ids.zoe).locator('.time').textContent()).toBe(range(later, 45));
    expect(await page.locator('#summary').textContent()).toBe('4 sessions · 4 scheduled');
    await page.screenshot({ path: `${ARTEFACTS}/board-by-coach.png`, fullPage: true });
  });

  it('shows every name as text: nothing hostile becomes markup, nothing runs', async () => {
    expect(await page.locator('#columns img, #columns script, #columns b').count()).toBe(0);
    await page.locator('#group-by').selectOption('room');
    expect(await page.locator('.column h2').allTextContents()).toEqual(['Studio 1', 'Yard <script>alert(2)</script>']);
    expect(await card(page, ids.hostile).locator('.where').textContent()).toBe('with Ana "the coach" <b>bold</b>');
    await page.screenshot({ path: `${ARTEFACTS}/board-by-room.png`, fullPage: true });
    await page.locator('#group-by').selectOption('coach');
    expect(alerts).toEqual([]);
  });

  it('offers complete and no-show only once a session has started', async () => {
    expect(await card(page, ids.hostile).locator('[data-action="complete"]').isEnabled()).toBe(true);
    expect(await card(page, ids.tom).locator('[data-action="complete"]').isDisabled()).toBe(true);
    expect(await card(page, ids.tom).locator('[data-action="cancel"]').isEnabled()).toBe(true);
  });

  it('shows a change made elsewhere within a second of its mutation', async () => {
    await server.ok(CancelSessionDocument, { id: ids.zoe, reason: 'Member called in sick' }, owner);
    const answered = Date.now();
    await card(page, ids.zoe).and(page.locator('[data-status="CANCELLED"]')).waitFor({ timeout: 1_000 });
    writeFileSync(`${ARTEFACTS}/live-latency.json`, JSON.stringify({ afterMutationMs: Date.now() - answered }));
    expect(await card(page, ids.zoe).locator('.reason').textContent()).toBe('Reason: Member called in sick');
  });

  it('completes a session from the page', async () => {
    await card(page, ids.hostile).getByRole('button', { name: /^Complete/ }).click();
    await card(page, ids.hostile).and(page.locator('[data-status="COMPLETED"]')).waitFor();
    expect(await sessionState(server.db, ids.hostile)).toMatchObject({ status: 'COMPLETED' });
    expect(await card(page, ids.hostile).locator('button').count()).toBe(0);
  });

  it('marks a no-show with the keyboard alone', async () => {
    await card(page, ids.maria).locator('[data-action="no-show"]').focus();
    await page.keyboard.press('Enter');
    await card(page, ids.maria).and(page.locator('[data-status="NO_SHOW"]')).waitFor();
    expect(await sessionState(server.db, ids.maria)).toMatchObject({ status: 'NO_SHOW' });
    // Focus stays on the card whose buttons went away, so the keyboard user is not thrown to the top.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-session-id'))).toBe(ids.maria); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('cancels with a reason through a dialog (Escape backs out; the reason is required)', async () => {
    const cancel = card(page, ids.tom).locator('[data-action="cancel"]');
    await cancel.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#cancel-dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await statusOf(page, ids.tom)).toBe('SCHEDULED');

    await cancel.focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Cancel session' }).click(); // no reason yet: the form does not submit
    expect(await dialog.isVisible()).toBe(true);
    await dialog.locator('textarea[name=reason]').fill(`Coach ill ${HOSTILE}`);
    await page.screenshot({ path: `${ARTEFACTS}/board-cancel-dialog.png` });
    await dialog.getByRole('button', { name: 'Cancel session' }).click();
    await card(page, ids.tom).and(page.locator('[data-status="CANCELLED"]')).waitFor();
    expect(await sessionState(server.db, ids.tom)).toMatchObject({ status: 'CANCELLED', cancellation_reason: `Coach ill ${HOSTILE}` });
    expect(await card(page, ids.tom).locator('.reason').textContent()).toBe(`Reason: Coach ill ${HOSTILE}`);
    expect(await page.locator('#summary').textContent()).toBe('4 sessions · 1 completed · 1 no-show · 2 cancelled');
    await page.screenshot({ path: `${ARTEFACTS}/board-after-actions.png`, fullPage: true });
  });

  it("shows a member their own sessions only, without staff actions", async () => {
    const [maria] = await server.db.query<{ id: string }>(`SELECT member_id AS id FROM training_sessions WHERE id = $1`, [ids.maria]);
    const token = await server.app.tokens.sign(maria.id);
    const member = await tablet(token);
    await member.page.goto(`${new URL(server.url).origin}/dashboard?date=${day}`);
    await member.page.locator('#connection[data-state="live"]').waitFor();
    await card(member.page, ids.maria).waitFor();
    expect(await member.page.locator('[data-session-id]').count()).toBe(1);
    expect(await member.page.locator('#columns button').count()).toBe(0);
    await member.context.close();
  });

  it('asked nothing of anyone but the server, ran no script from data, and broke no rule of its policy', () => {
    expect(foreignRequests(record, server.url)).toEqual([]);
    expect(record.requests.some((url) => url.startsWith('ws://'))).toBe(true);
    expect(record.errors).toEqual([]);
    expect(alerts).toEqual([]);
  });
});

describeInChromium('classes on the board', () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let record: PageRecord;
  const started = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS);
  const later = new Date(started.getTime() + 3 * HOUR_MS);
  const ids: Record<string, string> = {};
  const classCard = (id: string) => page.locator(`[data-class-id="${id}"]`);

  beforeAll(async () => {
    server = await startTestServer({ env: { STUDIO_TIMEZONE: ZONE } });
    const owner = await server.user('OWNER', 'Front Desk');
    const coach = await server.user('COACH', 'Ana');
    const [roomId] = await rooms(server.db, 'Studio 1');
    const typeId = (await server.ok(CreateClassTypeDocument, { input: { name: `Yoga ${HOSTILE}`, durationMinutes: 60, capacity: 2, waitlistCapacity: 2 } }, owner)).createClassType.id;
    // The class under way: arranged in SQL (nobody can enroll in a class that has started).
    [{ id: ids.now }] = await server.db.query<{ id: string }>(
      `INSERT INTO class_sessions (class_type_id, coach_id, room_id, start_time, end_time, capacity, waitlist_capacity, credits_per_class)
       VALUES ($1, $2, $3, $4, $4::timestamptz + interval '1 hour', 2, 2, 1) RETURNING id::text`, [typeId, coach.id, roomId, started]);
    const maria = await server.user('MEMBER', 'Maria');
    [{ id: ids.maria }] = await server.db.query<{ id: string }>(
      `INSERT INTO enrollments (class_session_id, member_id, status) VALUES ($1, $2, 'BOOKED') RETURNING id::text`, [ids.now, maria.id]);
    ids.later = (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: later.toISOString() } }, owner)).scheduleClass.id;
    await server.ok(EnrollInClassDocument, { sessionId: ids.later, memberId: maria.id }, owner);
    ({ context, page, record } = await tablet(owner.token));
    await page.goto(`${new URL(server.url).origin}/dashboard?date=${localDate(started)}`);
    await page.locator('#connection[data-state="live"]').waitFor();
    await classCard(ids.later).waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it("shows each class in its coach's column by time, with its places and line", async () => {
    const column = page.locator('.column');
    expect(await column.locator('[data-class-id]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-class-id')))).toEqual([ids.now, ids.later]);
    expect(await classCard(ids.now).locator('.member').textContent()).toBe(`Yoga ${HOSTILE}`);
    expect(await classCard(ids.now).locator('.time').textContent()).toBe(range(started));
    expect(await classCard(ids.later).locator('.places').textContent()).toBe('1/2 booked');
    expect(await page.locator('#summary').textContent()).toBe('0 sessions · 2 classes, 2/4 places taken');
    expect(await page.locator('#columns img').count()).toBe(0);
  });

  it('follows enrollments made elsewhere live: places, then the waitlist', async () => {
    for (const name of ['Tom', 'Zoe']) await server.ok(EnrollInClassDocument, { sessionId: ids.later }, await server.user('MEMBER', name));
    await classCard(ids.later).locator('.places', { hasText: '2/2 booked · 1 waiting' }).waitFor({ timeout: 2_000 });
  });

  it('checks a member in from the roster with the keyboard, and corrects it; a class not started cannot be marked yet', async () => {
    await classCard(ids.now).locator('[data-action="roster"]').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#roster-dialog');
    const maria = dialog.locator(`[data-enrollment-id="${ids.maria}"]`);
    await maria.waitFor();
    expect(await maria.locator('.member').textContent()).toBe('Maria');
    await maria.getByRole('button', { name: 'Attended: Maria' }).focus();
    await page.keyboard.press('Enter');
    await dialog.locator(`[data-enrollment-id="${ids.maria}"][data-status="ATTENDED"]`).waitFor();
    expect(await dialog.locator('[data-mark="ATTENDED"]').getAttribute('aria-pressed')).toBe('true');
    const [row] = await server.db.query<{ status: string }>(`SELECT status::text FROM enrollments WHERE id = $1`, [ids.maria]);
    expect(row).toEqual({ status: 'ATTENDED' });
    // A correction: focus stayed in the row, so Tab reaches the other mark.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.locator(`[data-enrollment-id="${ids.maria}"][data-status="NO_SHOW"]`).waitFor();
    expect(await server.db.query(`SELECT status::text FROM enrollments WHERE id = $1`, [ids.maria])).toEqual([{ status: 'NO_SHOW' }]);
    await page.screenshot({ path: `${ARTEFACTS}/board-roster.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await classCard(ids.later).locator('[data-action="roster"]').click();
    const waiting = dialog.locator('[data-status="WAITLISTED"]');
    await waiting.waitFor();
    expect(await waiting.locator('.status').textContent()).toBe('Waiting, number 1');
    expect(await dialog.locator('[data-status="BOOKED"] [data-mark="ATTENDED"]').first().isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('asked nothing of anyone but the server and logged no error', () => {
    expect(foreignRequests(record, server.url)).toEqual([]);
    expect(record.errors).toEqual([]);
  });
});

describeInChromium('a busy day', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { STUDIO_TIMEZONE: ZONE } });
  });
  afterAll(() => server?.stop());

  it('shows all of it, over more than one page of the sessions query (205 sessions)', async () => {
    const owner = await server.user('OWNER');
    const date = localDate(new Date(Date.now() + 3 * 24 * HOUR_MS));
    const midnight = Date.parse(`${date}T00:00:00Z`) - OFFSET_HOURS * HOUR_MS;
    const coaches = await Promise.all(Array.from({ length: 41 }, (_, i) => server.user('COACH', `Coach ${String(i).padStart(2, '0')}`)));
    const members = await Promise.all(Array.from({ length: 41 }, (_, i) => server.user('MEMBER', `Member ${i}`)));
    const roomIds = await rooms(server.db, ...coaches.map((_, i) => `Room ${i}`));
    await server.db.query(
      `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time)
       SELECT c.coach, c.member, c.room, $4::timestamptz + (1 + 2 * slot) * interval '1 hour', $4::timestamptz + (2 + 2 * slot) * interval '1 hour'
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS c(coach, member, room), generate_series(0, 4) AS slot`,
      [coaches.map((c) => c.id), members.map((m) => m.id), roomIds, new Date(midnight)],
    );
    const { context, page, record } = await tablet(owner.token);
    const opened = Date.now();
    await page.goto(`${new URL(server.url).origin}/dashboard?date=${date}`);
    await page.locator('[data-session-id]').nth(204).waitFor({ timeout: 10_000 }).catch(async (error) => {
      throw new Error(`${error}; the page shows: ${await page.locator('main').innerText()}`);
    });
    const shownMs = Date.now() - opened;
    expect(await page.locator('[data-session-id]').count()).toBe(205);
    expect(await page.locator('.column').count()).toBe(41);
    expect(await page.locator('#summary').textContent()).toBe('205 sessions · 205 scheduled');
    expect(record.requests.filter((url) => url.endsWith('/graphql')).length).toBeGreaterThanOrEqual(3); // me + two pages
    // Measured, not asserted (the goal: under 1 s on the loopback); see the artefact.
    writeFileSync(`${ARTEFACTS}/busy-day.json`, JSON.stringify({ sessions: 205, navigationToAllShownMs: shownMs }));
    await page.screenshot({ path: `${ARTEFACTS}/board-busy-day.png` });
    await context.close();
  });
});

describeInChromium('the board across a server restart', () => {
  let db: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ db, env: { STUDIO_TIMEZONE: ZONE } });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('shows "reconnecting" while the server is away, then catches up on what it missed and stays live', async () => {
    const owner = await server.user('OWNER');
    const coach = await server.user('COACH', 'Coach Restart');
    const [a, b] = [await server.user('MEMBER', 'Before'), await server.user('MEMBER', 'Meanwhile')];
    const [room] = await rooms(db, 'Hall');
    const start = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS + HOUR_MS);
    const first = await insertSession(db, { coachId: coach.id, memberId: a.id, roomId: room, start });
    const { context, page, record } = await tablet(owner.token);
    const origin = new URL(server.url).origin;
    await page.goto(`${origin}/dashboard?date=${localDate(start)}`);
    await page.locator('#connection[data-state="live"]').waitFor();
    await card(page, first).waitFor();

    const port = server.app.port;
    await server.stop();
    await page.locator('#connection[data-state="reconnecting"]').waitFor();
    expect(await page.locator('#connection').textContent()).toBe('Reconnecting…');
    await page.screenshot({ path: `${ARTEFACTS}/board-reconnecting.png` });
    // Changes while no server runs reach nobody live: the board must resynchronise.
    await db.query(`UPDATE training_sessions SET status = 'CANCELLED', cancelled_at = now(), cancellation_reason = 'while away' WHERE id = $1`, [first]);
    const meanwhile = await insertSession(db, { coachId: coach.id, memberId: b.id, roomId: room, start: new Date(start.getTime() + HOUR_MS) });

    server = await startTestServer({ db, env: { STUDIO_TIMEZONE: ZONE, PORT: String(port) } });
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
    await card(page, meanwhile).waitFor();
    expect(await statusOf(page, first)).toBe('CANCELLED');
    expect(await card(page, meanwhile).locator('.member').textContent()).toBe('Meanwhile');

    // And the new connection's subscription carries changes again.
    await server.ok(CancelSessionDocument, { id: meanwhile, reason: 'after the restart' }, owner);
    await card(page, meanwhile).and(page.locator('[data-status="CANCELLED"]')).waitFor({ timeout: 2_000 });
    expect(foreignRequests(record, origin)).toEqual([]);
    await context.close();
  });
});

describeInChromium("today's board at midnight", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { STUDIO_TIMEZONE: ZONE } });
  });
  afterAll(() => server?.stop());

  it("reloads itself into the next day at the studio's midnight when opened without a date", async () => {
    const { context, page } = await tablet((await server.user('OWNER')).token);
    const board = `${new URL(server.url).origin}/dashboard`;
    await page.goto(board);
    const midnight = Date.parse((await page.locator('meta[name="board-to"]').getAttribute('content'))!);
    await page.clock.install({ time: new Date(midnight - 5_000) }); // the page's clock only
    await page.reload();
    await page.locator('#connection[data-state="live"]').waitFor();
    const reloaded = page.waitForEvent('load');
    await page.clock.runFor(7_000);
    await reloaded;
    // With a date in the address, the board stays on that day.
    await page.goto(`${board}?date=${await page.locator('meta[name="board-date"]').getAttribute('content')}`);
    await page.locator('#connection[data-state="live"]').waitFor();
    let loads = 0;
    page.on('load', () => loads++);
    await page.clock.runFor(25 * HOUR_MS);
    expect(loads).toBe(0);
    await context.close();
  });
});

describeInChromium('signing in again', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('a page opened with an expired token asks to sign in again (email first)', async () => {
    const user = await server.user('OWNER');
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const { context, page } = await tablet(expired);
    await page.goto(`${new URL(server.url).origin}/dashboard`);
    await page.locator('input[name=email]').waitFor();
    expect(await page.locator('input[name=email]').evaluate((input) => input === (globalThis as any).document.activeElement)).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await page.locator('#message').textContent()).toMatch(/expired.*sign in again/i);
    expect(await page.locator('#board').isHidden()).toBe(true);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('booking.accessToken'))).toBeNull(); // eslint-disable-line @typescript-eslint/no-explicit-any
    await context.close();
  });
});

/** The sign-in email, not the invitation an owner's createUser sends. */
const hasCode = (mail: { text?: string }) => /\b\d{6}\b/.test(mail.text ?? '');

describeInChromium('signing in by emailed code', () => {
  let server: TestServer;
  let mailbox: SmtpSink;
  beforeAll(async () => {
    mailbox = await startSmtpSink();
    // Access tokens of 5 s: the board must refresh them (refreshSession) and reopen its websocket as they expire.
    server = await startTestServer({ env: { SMTP_URL: mailbox.url, PUBLIC_URL: 'https://studio.example', ACCESS_TOKEN_TTL: '5s', STUDIO_TIMEZONE: ZONE } });
  });
  afterAll(async () => {
    await server?.stop();
    await mailbox?.stop();
  });

  it('signs a coach in with the code from the email, shows their day, and stays signed in and live as tokens expire', async () => {
    const coach = await server.user('COACH', 'Cora Coach');
    const member = await server.user('MEMBER', 'Max');
    const owner = await server.user('OWNER');
    const [room] = await rooms(server.db, 'Loft');
    const start = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS + HOUR_MS);
    const mine = await insertSession(server.db, { coachId: coach.id, memberId: member.id, roomId: room, start });

    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    const record = recordPage(page);
    const origin = new URL(server.url).origin;
    await page.goto(`${origin}/dashboard?date=${localDate(start)}`);
    await page.locator('input[name=email]').fill(coach.email);
    await page.screenshot({ path: `${ARTEFACTS}/board-sign-in.png` });
    await page.keyboard.press('Enter');
    const mail = await mailbox.next(coach.email, 0, hasCode);
    await page.locator('input[name=code]').waitFor();
    await page.locator('input[name=code]').fill(codeIn(mail));
    await page.keyboard.press('Enter');
    await page.locator('#connection[data-state="live"]').waitFor();
    await card(page, mine).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Cora Coach · coach');
    expect(await page.locator('input[name=email]').isVisible()).toBe(false);
    const tokensAfterSignIn = await page.evaluate(() => (globalThis as any).sessionStorage.getItem('booking.refreshToken')); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(tokensAfterSignIn).toBeTruthy();

    // Past the first token's lifetime: the websocket was closed (4401) and reopened with a refreshed token.
    await page.waitForTimeout(6_500);
    await server.ok(CancelSessionDocument, { id: mine, reason: 'still live after token expiry' }, owner);
    await card(page, mine).and(page.locator('[data-status="CANCELLED"]')).waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('booking.refreshToken'))).not.toBe(tokensAfterSignIn); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(record.requests.filter((url) => url.endsWith('/graphql')).length).toBeGreaterThan(2);
    expect(foreignRequests(record, origin)).toEqual([]);
    expect(record.errors).toEqual([]);
    await page.screenshot({ path: `${ARTEFACTS}/board-signed-in-coach.png`, fullPage: true });

    // Reopened with an access token the server no longer accepts (and no hint it expired): one refresh, and the board is back.
    await page.evaluate(() => {
      const storage = (globalThis as any).sessionStorage; // eslint-disable-line @typescript-eslint/no-explicit-any
      storage.setItem('booking.accessToken', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.invalid');
      storage.setItem('booking.accessTokenExpiresAt', new Date(Date.now() + 3_600_000).toISOString());
    });
    await page.reload();
    await page.locator('#connection[data-state="live"]').waitFor();
    await card(page, mine).waitFor();
    expect(await page.locator('input[name=email]').isVisible()).toBe(false);

    // Signing out forgets the tokens and revokes the refresh token on the server.
    const refreshToken = await page.evaluate(() => (globalThis as any).sessionStorage.getItem('booking.refreshToken') as string); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('input[name=email]').waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0); // eslint-disable-line @typescript-eslint/no-explicit-any
    const reuse = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', variables: { t: refreshToken } }),
    });
    expect(((await reuse.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    await context.close();
  });

  it('takes a code typed the moment it arrives, before the page has heard back from the server', async () => {
    const coach = await server.user('COACH');
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    // The answer to the code request is held until the email is in: the person has the code first.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      if (!route.request().postData()?.includes('requestSignInCode')) return route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await page.goto(`${new URL(server.url).origin}/dashboard`);
    await page.locator('input[name=email]').fill(coach.email);
    await page.keyboard.press('Enter');
    const code = codeIn(await mailbox.next(coach.email, 0, hasCode));
    await page.keyboard.type(code); // where the focus is, as a person types without clicking first
    release();
    await page.keyboard.press('Enter');
    await page.locator('#connection[data-state="live"]').waitFor();
    expect(await page.locator('input[name=email]').inputValue()).toBe(coach.email);
    await context.close();
  });

  it('goes back to the email step and says why when no code can be sent', async () => {
    const coach = await server.user('COACH');
    const ask = 'mutation($e: String!) { requestSignInCode(email: $e) }';
    for (let i = 0; i < 5; i += 1) expect((await server.request(ask, { e: coach.email })).errors).toBeUndefined(); // the hourly limit per address
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await page.goto(`${new URL(server.url).origin}/dashboard`);
    await page.locator('input[name=email]').fill(coach.email);
    await page.keyboard.press('Enter');
    await page.locator('#message').getByText(/Too many attempts/).waitFor();
    expect(await page.locator('input[name=email]').isVisible()).toBe(true);
    expect(await page.locator('input[name=email]').inputValue()).toBe(coach.email);
    expect(await page.locator('input[name=code]').isVisible()).toBe(false);
    await context.close();
  });

  it('says so when the code is wrong, and lets the person try again', async () => {
    const coach = await server.user('COACH');
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await page.goto(`${new URL(server.url).origin}/dashboard`);
    await page.locator('input[name=email]').fill(coach.email);
    await page.keyboard.press('Enter');
    const code = codeIn(await mailbox.next(coach.email, 0, hasCode));
    await page.locator('input[name=code]').fill(code === '000000' ? '111111' : '000000');
    await page.keyboard.press('Enter');
    await page.locator('#message').getByText(/wrong or has expired/).waitFor();
    await page.locator('input[name=code]').fill(code);
    await page.keyboard.press('Enter');
    await page.locator('#connection[data-state="live"]').waitFor();
    await context.close();
  });
});
