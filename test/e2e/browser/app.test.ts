import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  BookSessionDocument, CancelEnrollmentDocument, CancelSessionDocument, CreateClassTypeDocument, CreateRoomDocument, EnrollInClassDocument, ScheduleClassDocument, UpdateCoachSettingsDocument,
  UpdateWaitlistPolicyDocument,
} from '../../generated/graphql';
import { ARTEFACTS, buildBrowserCode, describeInChromium, foreignRequests, launchChromium, recordPage, seriousViolations, type PageRecord } from '../../support/browser';
import { codeIn, startSmtpSink, type SmtpSink } from '../../support/smtp';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../../support/server';
import { startTcpProxy } from '../../support/tcp-proxy';
import { insertSession, weeklyHours } from '../../support/sessions';

/**
 * The members' and coaches' app at /app, in a real Chromium at a phone's width whose
 * own clock runs in another zone than the people's (the studio's), able to resolve
 * nothing but the loopback.
 */
const ZONE = 'Europe/Berlin';
const PHONE = { width: 390, height: 844 };
const today = () => DateTime.now().setZone(ZONE).toISODate()!;
const dayAfter = (days: number) => DateTime.fromISO(today(), { zone: ZONE }).plus({ days }).toISODate()!;
const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
const weekdayOf = (date: string) => DateTime.fromISO(date, { zone: ZONE }).setLocale('en').toFormat('cccc');

let browser: Browser;
let server: TestServer;
let mailbox: SmtpSink;
let owner: TestUser;
let coach: TestUser;
let roomId: string;

beforeAll(async () => {
  await buildBrowserCode();
  browser = await launchChromium();
  mailbox = await startSmtpSink();
  server = await startTestServer({ env: { STUDIO_TIMEZONE: ZONE, SMTP_URL: mailbox.url, PUBLIC_URL: 'https://studio.example' } });
  owner = await server.user('OWNER');
  coach = await server.user('COACH', 'Ana');
  roomId = (await server.ok(CreateRoomDocument, { name: 'Studio 1' }, owner)).createRoom.id;
  await server.ok(UpdateCoachSettingsDocument, { input: { coachId: coach.id, defaultRoomId: roomId } }, owner);
  await weeklyHours(server.db, coach.id, 10 * 60, 12 * 60);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await mailbox?.stop();
});

interface Phone { context: BrowserContext; page: Page; record: PageRecord }

/** A phone signed in as `person` (the token as the app keeps it: sessionStorage), or signed out. */
async function phone(person?: TestUser): Promise<Phone> {
  const context = await browser.newContext({ viewport: PHONE, timezoneId: 'Pacific/Kiritimati', locale: 'en-GB', isMobile: true, hasTouch: true });
  if (person) {
    await context.addInitScript((token) => {
      const storage = (globalThis as any).sessionStorage; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!storage.getItem('booking.accessToken')) storage.setItem('booking.accessToken', token);
    }, person.token);
  }
  const page = await context.newPage();
  return { context, page, record: recordPage(page) };
}

const origin = () => new URL(server.url).origin;

/** Opens a view from the app's navigation and checks it with axe-core; a screenshot for people to look at. */
async function visit(page: Page, label: string, heading: string, shot: string) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('[role=status]:text-matches("^Loading")').waitFor({ state: 'detached' });
  await expectAccessible(page, shot);
}

async function expectAccessible(page: Page, shot: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTEFACTS}/app-${shot}.png`, fullPage: true });
}

const hasCode = (mail: { text?: string }) => /\b\d{6}\b/.test(mail.text ?? '');

describeInChromium('a member in the app', () => {
  let member: TestUser;
  let device: Phone;
  let page: Page;
  const tomorrow = dayAfter(1);

  beforeAll(async () => {
    member = await server.user('MEMBER', 'Maria');
    device = await phone();
    page = device.page;
  });
  afterAll(() => device?.context.close());

  it('signs in with the code from the email and starts on an empty week', async () => {
    await page.goto(`${origin()}/app`);
    await page.getByLabel('Email').fill(member.email);
    await expectAccessible(page, 'sign-in');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await mailbox.next(member.email, 0, hasCode);
    await page.getByLabel('Code').fill(codeIn(mail));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My week' }).waitFor();
    await page.getByText('Nothing booked this week.').waitFor();
    expect(await page.locator('.who').textContent()).toBe('Maria Member');
    const stored = await page.evaluate(() => {
      const scope = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      return { local: scope.localStorage.length as number, session: Object.keys(scope.sessionStorage) };
    });
    expect(stored.local).toBe(0);
    expect(stored.session.sort()).toEqual(['booking.accessToken', 'booking.accessTokenExpiresAt', 'booking.refreshToken']);
    await expectAccessible(page, 'member-week-empty');
  });

  it("books a weekly series from the coach's free slots, in the member's timezone, and sees it", async () => {
    await visit(page, 'Book', 'Book a coach', 'member-book');
    const day = page.locator(`section[data-date="${tomorrow}"]`);
    // Ana's hours are 10:00-12:00 in the studio's zone, the member's too; the phone's own zone is 11-13 hours ahead.
    expect(await day.getByRole('button').allTextContents()).toEqual(['10:00–11:00', '11:00–12:00']);
    await day.getByRole('button', { name: '10:00–11:00' }).click();
    await page.getByLabel(`Every ${weekdayOf(tomorrow)} at this time`).check();
    await page.getByLabel('Number of sessions').fill('4');
    await expectAccessible(page, 'member-book-series');
    await page.getByRole('button', { name: 'Book the series' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Booked:' });
    await done.waitFor();
    expect(await done.textContent()).toContain(`every ${weekdayOf(tomorrow).toLowerCase()} 10:00–11:00 with Ana, 4 sessions`);
    // The booked slot is no longer offered.
    await day.getByRole('button', { name: '10:00–11:00' }).waitFor({ state: 'detached' });

    const [series] = await server.db.query<{ id: string; day_of_week: number; occurrences: number; timezone: string; sessions: number }>(
      `SELECT r.id, r.day_of_week, r.occurrences, r.timezone, (SELECT count(*)::int FROM training_sessions s WHERE s.recurring_booking_id = r.id) AS sessions
         FROM recurring_bookings r WHERE r.member_id = $1`,
      [member.id],
    );
    expect(series).toMatchObject({ day_of_week: DateTime.fromISO(tomorrow).weekday % 7, occurrences: 4, timezone: ZONE, sessions: 4 });

    await visit(page, 'My series', 'My series', 'member-series');
    const card = page.locator(`[data-series-id="${series.id}"]`);
    expect(await card.locator('h2').textContent()).toBe(`Every ${weekdayOf(tomorrow)} 10:00–11:00`);
    expect(await card.textContent()).toContain('with Ana');
    expect(await card.textContent()).toContain('4 sessions');
  });

  it('cancels one session of the series from its week, and only that one', async () => {
    await visit(page, 'My week', 'My week', 'member-week');
    const item = page.locator(`section[data-date="${tomorrow}"] .item`).filter({ hasText: 'Session with Ana' });
    expect(await item.locator('.when').textContent()).toBe('10:00–11:00');
    expect(await item.getAttribute('data-state')).toBe('SCHEDULED');
    await item.getByRole('button', { name: 'Cancel…' }).click();
    await item.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.locator(`section[data-date="${tomorrow}"] .item[data-state="CANCELLED"]`).waitFor();
    const statuses = await server.db.query<{ status: string }>(`SELECT status FROM training_sessions WHERE member_id = $1 ORDER BY start_time`, [member.id]);
    expect(statuses.map((s) => s.status)).toEqual(['CANCELLED', 'SCHEDULED', 'SCHEDULED', 'SCHEDULED']);
  });

  it('says in words when the chosen slot was taken meanwhile, and books nothing', async () => {
    await visit(page, 'Book', 'Book a coach', 'member-book-again');
    const day = page.locator(`section[data-date="${tomorrow}"]`);
    await day.getByRole('button', { name: '11:00–12:00' }).click();
    const rival = await server.user('MEMBER', 'Rival');
    await server.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: at(tomorrow, '11:00').toISOString() } }, rival);
    await page.getByRole('button', { name: 'Book this session' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('That time is no longer free: the coach or you already have a session then. Pick another slot.');
    expect(await server.db.query(`SELECT 1 FROM training_sessions WHERE member_id = $1 AND recurring_booking_id IS NULL`, [member.id])).toHaveLength(0);
  });

  it('pauses the series for a fortnight from its card', async () => {
    await visit(page, 'My series', 'My series', 'member-series-pause');
    const card = page.locator('[data-series-id]');
    await card.getByRole('button', { name: 'Pause…' }).click();
    const from = dayAfter(8);
    await card.getByLabel('First day').fill(from);
    await card.getByLabel('Last day').fill(dayAfter(21));
    await card.getByLabel('Reason (optional)').fill('Holiday');
    await expectAccessible(page, 'member-series-pause-form');
    await card.getByRole('button', { name: 'Pause the series' }).click();
    await card.getByRole('list', { name: 'Pauses' }).getByText('Holiday').waitFor();
    const pauses = await server.db.query<{ from: string; to: string }>(`SELECT to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to" FROM series_pauses`);
    expect(pauses).toEqual([{ from, to: dayAfter(21) }]);
  });

  it('changes the series to another hour from a later date', async () => {
    const card = page.locator('[data-series-id]');
    await card.getByRole('button', { name: 'Change from a date…' }).click();
    const form = page.getByRole('form', { name: 'Change the series' });
    await form.getByLabel('From').fill(dayAfter(22));
    await form.getByLabel('Start').fill('11:00');
    await form.getByLabel('End').fill('12:00');
    await expectAccessible(page, 'member-series-change-form');
    await form.getByRole('button', { name: 'Save the change' }).click();
    await page.locator('[data-series-id] h2').filter({ hasText: `Every ${weekdayOf(tomorrow)} 11:00–12:00` }).waitFor();
    const rows = await server.db.query<{ start: string; replaced: boolean }>(
      `SELECT to_char(make_time(start_minute / 60, start_minute % 60, 0), 'HH24:MI') AS start, replaces_id IS NOT NULL AS replaced FROM recurring_bookings WHERE member_id = $1 ORDER BY created_at`,
      [member.id],
    );
    expect(rows).toEqual([{ start: '10:00', replaced: false }, { start: '11:00', replaced: true }]);
  });

  it("joins a full class's waitlist and is promoted live when another member cancels", async () => {
    const date = dayAfter(3); // well before the auto-promotion cutoff: a freed place is BOOKED at once
    const other = await server.user('MEMBER', 'Zoe');
    const typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Yoga', durationMinutes: 60, capacity: 1, waitlistCapacity: 2 } }, owner)).createClassType.id;
    const classId = (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: at(date, '18:00').toISOString() } }, owner)).scheduleClass.id;
    const zoe = (await server.ok(EnrollInClassDocument, { sessionId: classId, memberId: other.id }, owner)).enrollInClass.id;

    await visit(page, 'Classes', 'Classes', 'member-classes');
    const row = page.locator(`[data-class-id="${classId}"]`);
    expect(await row.locator('.places').textContent()).toBe('Full');
    await row.getByRole('button', { name: 'Join the waitlist' }).click();
    await row.getByText('You are number 1 on the waitlist').waitFor();
    expect(await row.locator('.places').textContent()).toBe('Full · 1 waiting');

    await server.ok(CancelEnrollmentDocument, { id: zoe }, other);
    await row.getByText('You are booked').waitFor({ timeout: 5_000 });
    expect(await row.getAttribute('data-state')).toBe('BOOKED');
    expect(await row.locator('.places').textContent()).toBe('Full');
    await expectAccessible(page, 'member-classes-promoted');
  });

  it('is offered a freed place close to the class, live, and accepts it', async () => {
    // Inside the auto-promotion cutoff a freed place is OFFERED to the first in line, for a while.
    await server.ok(UpdateWaitlistPolicyDocument, { waitlist: { autoPromoteCutoffMinutes: 7 * 24 * 60, offerMinutes: 30 } }, owner);
    const other = await server.user('MEMBER', 'Lea');
    const typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Pilates', durationMinutes: 60, capacity: 1, waitlistCapacity: 2 } }, owner)).createClassType.id;
    const classId = (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: at(dayAfter(4), '19:30').toISOString() } }, owner)).scheduleClass.id;
    const lea = (await server.ok(EnrollInClassDocument, { sessionId: classId, memberId: other.id }, owner)).enrollInClass.id;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Classes' }).waitFor();
    const row = page.locator(`[data-class-id="${classId}"]`);
    await row.getByRole('button', { name: 'Join the waitlist' }).click();
    await row.getByText('You are number 1 on the waitlist').waitFor();

    await server.ok(CancelEnrollmentDocument, { id: lea }, other);
    await row.getByText(/^A place is yours if you accept by /).waitFor({ timeout: 5_000 });
    expect(await row.getAttribute('data-state')).toBe('OFFERED');
    await expectAccessible(page, 'member-classes-offer');
    await row.getByRole('button', { name: 'Accept the place' }).click();
    await row.getByText('You are booked').waitFor();
    const [mine] = await server.db.query<{ status: string }>(`SELECT status FROM enrollments WHERE class_session_id = $1 AND member_id = $2`, [classId, member.id]);
    expect(mine.status).toBe('BOOKED');
  });

  it('shows the account: statement, packs, email choices and the calendar address', async () => {
    await visit(page, 'Account', 'Account', 'member-account');
    await page.getByLabel('Reminders before a session').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const [prefs] = await server.db.query<{ email_reminders: boolean }>(`SELECT email_reminders FROM notification_preferences WHERE user_id = $1`, [member.id]);
    expect(prefs.email_reminders).toBe(false);
    expect(await page.getByLabel('Calendar address').inputValue()).toMatch(/^https:\/\/studio\.example\/calendar\/.+\.ics$/);
  });

  it('signs out: the refresh token is revoked and nothing is left in the tab', async () => {
    const refreshToken = await page.evaluate(() => (globalThis as any).sessionStorage.getItem('booking.refreshToken') as string); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0); // eslint-disable-line @typescript-eslint/no-explicit-any
    const refreshed = await server.request(`mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, { t: refreshToken });
    expect(errorOf(refreshed).code).toBe('UNAUTHENTICATED');
  });

  it('loaded nothing from outside the server and logged no error', () => {
    expect(foreignRequests(device.record, origin())).toEqual([]);
    expect(device.record.errors).toEqual([]);
  });
});

describeInChromium('signing in with a password', () => {
  it('refuses a wrong password in words, then signs in with the right one', async () => {
    const member = await server.user('MEMBER', 'Pia');
    const password = 'correct horse battery staple';
    expect((await server.request('mutation ($p: String!) { setPassword(newPassword: $p) }', { p: password }, member)).errors).toBeUndefined();
    const device = await phone();
    try {
      const { page } = device;
      await page.goto(`${origin()}/app`);
      await page.getByRole('button', { name: 'Use my password' }).click();
      await page.getByLabel('Email').fill(member.email);
      await page.getByLabel('Password').fill('not it');
      await page.keyboard.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('That did not work: check the email address and the code or password, and try again.');
      await page.getByLabel('Password').fill(password);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'My week' }).waitFor();
      expect(await page.locator('.who').textContent()).toBe('Pia Member');
      expect(device.record.errors).toEqual([]);
    } finally {
      await device.context.close();
    }
  });
});

describeInChromium('a coach in the app', () => {
  let device: Phone;
  let page: Page;
  const tomorrow = dayAfter(1);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const [tom, zoe, kim] = [await server.user('MEMBER', 'Tom'), await server.user('MEMBER', 'Zoe'), await server.user('MEMBER', 'Kim')];
    ids.morning = await insertSession(server.db, { coachId: coach.id, memberId: kim.id, roomId, start: at(tomorrow, '09:00') });
    ids.two = await insertSession(server.db, { coachId: coach.id, memberId: tom.id, roomId, start: at(tomorrow, '14:00') });
    ids.three = await insertSession(server.db, { coachId: coach.id, memberId: zoe.id, roomId, start: at(tomorrow, '15:00') });
    // Under way now (and today, in the studio's zone, whatever the hour): attendance can be taken.
    const started = new Date(Math.max(Date.now() - 30 * 60_000, at(today(), '00:00').getTime()));
    ids.now = await insertSession(server.db, { coachId: coach.id, memberId: kim.id, roomId, start: started, minutes: 45 });
    device = await phone(coach);
    page = device.page;
    await page.goto(`${origin()}/app`);
    await page.getByRole('heading', { level: 1, name: 'My week' }).waitFor();
  });
  afterAll(() => device?.context.close());

  it("shows the coach's week in their timezone", async () => {
    const day = page.locator(`section[data-date="${tomorrow}"]`);
    await day.locator(`[data-item="s${ids.two}"]`).waitFor();
    expect(await day.locator('.item .when').allTextContents()).toEqual(expect.arrayContaining(['09:00–10:00', '14:00–15:00', '15:00–16:00']));
    await expectAccessible(page, 'coach-week');
  });

  it('blocks an afternoon: sees the sessions it cancels first, then sees them cancelled', async () => {
    await visit(page, 'Extra hours and time off', 'Extra hours and time off', 'coach-time-off');
    await page.getByLabel('Date').fill(tomorrow);
    await page.getByLabel('From').fill('13:00');
    await page.getByLabel('To').fill('18:00');
    await page.getByRole('button', { name: 'Check what this cancels' }).click();
    const effect = page.locator('.effect');
    await effect.getByText('This cancels 2 sessions').waitFor();
    expect(await effect.locator('li').allTextContents()).toEqual(['14:00–15:00 Tom', '15:00–16:00 Zoe']);
    await expectAccessible(page, 'coach-block-effect');
    expect(await server.db.query(`SELECT 1 FROM availability_blocks WHERE coach_id = $1`, [coach.id])).toHaveLength(0); // nothing written yet
    await page.getByRole('button', { name: 'Confirm time off' }).click();
    await page.getByRole('status').filter({ hasText: 'Time off saved' }).waitFor();

    await visit(page, 'My week', 'My week', 'coach-week-after-block');
    const day = page.locator(`section[data-date="${tomorrow}"]`);
    await day.locator(`[data-item="s${ids.two}"][data-state="CANCELLED"]`).waitFor();
    await day.locator(`[data-item="s${ids.three}"][data-state="CANCELLED"]`).waitFor();
    expect(await day.locator(`[data-item="s${ids.morning}"]`).getAttribute('data-state')).toBe('SCHEDULED');
    const rows = await server.db.query<{ id: string; status: string }>(`SELECT id, status FROM training_sessions WHERE id = ANY($1)`, [[ids.morning, ids.two, ids.three]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [ids.morning]: 'SCHEDULED', [ids.two]: 'CANCELLED', [ids.three]: 'CANCELLED' });
  });

  it('takes attendance of a session under way, and corrects it', async () => {
    const item = page.locator(`[data-item="s${ids.now}"]`);
    await item.getByRole('button', { name: 'Attended' }).click();
    await page.locator(`[data-item="s${ids.now}"][data-state="COMPLETED"]`).waitFor();
    await item.getByRole('button', { name: 'No-show' }).click();
    await page.locator(`[data-item="s${ids.now}"][data-state="NO_SHOW"]`).waitFor();
    const [row] = await server.db.query<{ status: string }>(`SELECT status FROM training_sessions WHERE id = $1`, [ids.now]);
    expect(row.status).toBe('NO_SHOW');
  });

  it("opens a class's roster from the week: who is booked, the waitlist, attendance once it starts", async () => {
    const yoga = page.locator('.item').filter({ hasText: 'Yoga (class)' });
    await yoga.getByRole('link', { name: 'Roster and attendance' }).click();
    await page.getByRole('heading', { level: 1, name: /^Yoga, / }).waitFor();
    const booked = page.locator('[data-enrollment-id]');
    expect(await booked.locator('.what').allTextContents()).toEqual(['Maria']);
    expect(await booked.getByRole('button', { name: 'Attended' }).isDisabled()).toBe(true);
    await page.getByText('Attendance can be taken once the class has started.').waitFor();
    await page.getByText('Nobody is waiting.').waitFor();
    await expectAccessible(page, 'coach-roster');
    await page.getByRole('link', { name: '‹ Back to my week' }).click();
    await page.getByRole('heading', { level: 1, name: 'My week' }).waitFor();
  });

  it('edits the weekly hours', async () => {
    await visit(page, 'Weekly hours', 'Weekly hours', 'coach-hours');
    expect(await page.locator('[data-hours]').count()).toBe(7);
    await page.getByRole('button', { name: 'Add hours' }).click();
    // The new row (Monday 09:00-17:00) overlaps Monday's 10:00-12:00: refused in words, nothing saved.
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('Please check the start: Slot overlaps slot 1 (Monday 10:00-12:00).');
    expect(await server.db.query(`SELECT 1 FROM weekly_availability WHERE coach_id = $1`, [coach.id])).toHaveLength(7);
    await page.locator('[data-hours="1 09:00"]').getByLabel('To').fill('09:30');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const [{ count }] = await server.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM weekly_availability WHERE coach_id = $1`, [coach.id]);
    expect(count).toBe(8);
  });

  it('lists the series booked with them', async () => {
    await visit(page, 'Series', 'Series booked with me', 'coach-series');
    // Maria's series until its change, and the one continuing it.
    expect(await page.locator('[data-series-id] h2').allTextContents()).toEqual([`Every ${weekdayOf(tomorrow)} 10:00–11:00`, `Every ${weekdayOf(tomorrow)} 11:00–12:00`]);
  });

  it('loaded nothing from outside the server and logged no error', () => {
    expect(foreignRequests(device.record, origin())).toEqual([]);
    expect(device.record.errors).toEqual([]);
  });

  it('says it is reconnecting when the network goes silent, and catches up on what changed meanwhile', async () => {
    const proxy = await startTcpProxy(new URL(server.url));
    const other = await browser.newContext({ viewport: PHONE, timezoneId: 'Pacific/Kiritimati', locale: 'en-GB' });
    try {
      await other.addInitScript((token) => (globalThis as any).sessionStorage.setItem('booking.accessToken', token), coach.token); // eslint-disable-line @typescript-eslint/no-explicit-any
      const phonePage = await other.newPage();
      await phonePage.goto(`${proxy.origin}/app`);
      const morning = phonePage.locator(`[data-item="s${ids.morning}"]`);
      await morning.waitFor();
      await phonePage.locator('.live[data-state="connected"]').waitFor();
      // Nothing gets through any more, and nothing says so: the next ping (every 10 s) gets no pong within 5 s.
      proxy.blackhole();
      await phonePage.locator('.live[data-state="reconnecting"]').waitFor({ timeout: 20_000 });
      expect(await phonePage.locator('.live').textContent()).toMatch(/^Reconnecting/);
      expect(await seriousViolations(phonePage)).toEqual([]);
      await phonePage.screenshot({ path: `${ARTEFACTS}/app-coach-reconnecting.png`, fullPage: true });
      await server.ok(CancelSessionDocument, { id: ids.morning, reason: 'Kim is ill' }, owner);
      proxy.restore();
      await phonePage.locator('.live[data-state="connected"]').waitFor({ timeout: 40_000 });
      // The event was missed; the week on screen is fetched again once connected.
      await phonePage.locator(`[data-item="s${ids.morning}"][data-state="CANCELLED"]`).waitFor({ timeout: 5_000 });
      expect(await morning.locator('.status').textContent()).toBe('Cancelled: Kim is ill');
    } finally {
      await other.close();
      await proxy.stop();
    }
  });
});
