import { tableDigests } from '../support/database';
import { codeIn, startSmtpSink, type SmtpSink } from '../support/smtp';
import { openSocket } from '../support/live';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Signing in over HTTP as the apps do (DESIGN.md "Sign-in"): an emailed code, a
 * password, rotating refresh tokens, signing out (also of open websockets), the
 * profile. The server's clock is the test's, so code expiry needs no waiting.
 */

let clock = Date.now();
const logLines: Record<string, unknown>[] = [];
let server: TestServer;
let mailbox: SmtpSink;
let client = 0;
/** Every code, password and token these specs saw: none may appear in a log line. */
const secrets = new Set<string>();

beforeAll(async () => {
  mailbox = await startSmtpSink();
  // Each request comes from its own client address (X-Forwarded-For, trusted here), so that the
  // per-client limit of 30 code requests an hour stays out of these specs (rate-limits.test.ts has it).
  server = await startTestServer({ now: () => new Date(clock), logLines, env: { TRUST_PROXY: 'true', SMTP_URL: mailbox.url, PUBLIC_URL: 'https://studio.example' } });
});
afterAll(async () => {
  await server.stop();
  await mailbox.stop();
});

interface Answer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string | null, target: TestServer = server): Promise<Answer<T>> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${client++ % 250}`, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const answer = { status: response.status, ...((await response.json()) as object) } as Answer<T>;
  for (const key of ['code', 'password', 'current', 'next', 'refreshToken', 't']) {
    if (typeof variables[key] === 'string' && (variables[key] as string).length >= 6) secrets.add(variables[key] as string);
  }
  for (const payload of Object.values(answer.data ?? {})) {
    if (payload && typeof payload === 'object' && 'refreshToken' in payload) {
      secrets.add((payload as unknown as Payload).refreshToken).add((payload as unknown as Payload).accessToken);
    }
  }
  return answer;
}

const error = (answer: Answer) => ({ code: answer.errors?.[0]?.extensions?.code, field: answer.errors?.[0]?.extensions?.field, message: answer.errors?.[0]?.message });

interface Payload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string; email: string; timezone: string };
}
const PAYLOAD = 'accessToken accessTokenExpiresAt refreshToken user { id email timezone }';
const REQUEST_CODE = 'mutation ($email: String!) { requestSignInCode(email: $email) }';
const SIGN_IN_WITH_CODE = `mutation ($email: String!, $code: String!) { signInWithCode(email: $email, code: $code) { ${PAYLOAD} } }`;
const SIGN_IN_WITH_PASSWORD = `mutation ($email: String!, $password: String!) { signInWithPassword(email: $email, password: $password) { ${PAYLOAD} } }`;
const REFRESH = `mutation ($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${PAYLOAD} } }`;
const SET_PASSWORD = 'mutation ($current: String, $next: String!) { setPassword(currentPassword: $current, newPassword: $next) }';
const ME = '{ me { id email name timezone } }';

const isCodeMail = (mail: { subject?: string }) => mail.subject === 'Your sign-in code';

/** Asks for a code for `email` and reads it from the email the server sent. */
async function requestCode(email: string, target: TestServer = server): Promise<string> {
  const seen = mailbox.to(email).filter(isCodeMail).length;
  expect((await call(REQUEST_CODE, { email }, null, target)).data).toEqual({ requestSignInCode: true });
  const code = codeIn(await mailbox.next(email, seen, isCodeMail));
  secrets.add(code);
  return code;
}

async function signInByCode(email: string, target: TestServer = server): Promise<Payload> {
  const code = await requestCode(email, target);
  const answer = await call<{ signInWithCode: Payload }>(SIGN_IN_WITH_CODE, { email, code }, null, target);
  expect(answer.errors).toBeUndefined();
  return answer.data!.signInWithCode;
}

/** A log line without what differs between any two requests (times, ids, durations). */
function shapeOf(line: Record<string, unknown>): Record<string, unknown> {
  return { level: line.level, msg: line.msg, keys: Object.keys(line).sort().join(',') };
}

async function meWith(token: string): Promise<Answer> {
  return call(ME, {}, token);
}

describe('signing in with an emailed code', () => {
  it('trades the code for an access token, a refresh token and the user', async () => {
    const member = await server.user('MEMBER');
    const session = await signInByCode(member.email);
    expect(session.user).toMatchObject({ id: member.id, email: member.email });
    expect(session.refreshToken).toMatch(/^[\w-]{43}$/);
    // ACCESS_TOKEN_TTL defaults to 15 minutes.
    expect(new Date(session.accessTokenExpiresAt).getTime() - clock).toBeGreaterThan(14 * 60_000);
    expect(new Date(session.accessTokenExpiresAt).getTime() - clock).toBeLessThanOrEqual(15 * 60_000);
    expect((await meWith(session.accessToken)).data).toMatchObject({ me: { id: member.id } });
  });

  it('sends the code by email: in the text and the HTML, not in the subject', async () => {
    const member = await server.user('MEMBER');
    const seen = mailbox.to(member.email).filter(isCodeMail).length;
    await call(REQUEST_CODE, { email: member.email });
    const mail = await mailbox.next(member.email, seen, isCodeMail);
    const code = codeIn(mail);
    secrets.add(code);
    expect(mail.subject).toBe('Your sign-in code');
    expect(mail.text).toContain('valid for 10 minutes');
    expect(mail.html).toContain(code);
  });

  it('answers an unknown address exactly like a known one, and mails nobody', async () => {
    const member = await server.user('MEMBER');
    const nobody = `nobody.${Date.now()}@example.test`;
    const logged = logLines.length;
    const unknown = await call(REQUEST_CODE, { email: nobody });
    const linesForUnknown = logLines.slice(logged).map(shapeOf);
    const seen = mailbox.to(member.email).filter(isCodeMail).length;
    const known = await call(REQUEST_CODE, { email: member.email });
    const linesForKnown = logLines.slice(logged + linesForUnknown.length).map(shapeOf);
    expect(unknown).toEqual(known);
    // The known address's email goes out through the outbox; by then the other would have too.
    await mailbox.next(member.email, seen, isCodeMail);
    expect(mailbox.to(nobody)).toEqual([]);
    // The request's own log lines look alike. (The outbox worker logs its deliveries, by outbox id,
    // whenever they happen: the person running the server sees their SMTP traffic anyway.)
    const own = (lines: Record<string, unknown>[]) => lines.filter((line) => !String(line.msg).startsWith('outbox'));
    expect(own(linesForUnknown)).toEqual(own(linesForKnown));
  });

  it('is BAD_USER_INPUT for a malformed address or a code of the wrong shape, naming the argument', async () => {
    expect(error(await call(REQUEST_CODE, { email: 'not-an-address' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    expect(error(await call(REQUEST_CODE, { email: `${'a'.repeat(250)}@example.test` }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    for (const code of ['12345', '1234567', 'abcdef', '']) {
      expect(error(await call(SIGN_IN_WITH_CODE, { email: 'someone@example.test', code }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    }
  });

  it('takes 5 tries: after 5 wrong codes even the right one is refused', async () => {
    const member = await server.user('MEMBER');
    const code = await requestCode(member.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect(error(await call(SIGN_IN_WITH_CODE, { email: member.email, code: wrong }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(error(await call(SIGN_IN_WITH_CODE, { email: member.email, code }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('accepts the right code after a few wrong ones, and only once', async () => {
    const member = await server.user('MEMBER');
    const code = await requestCode(member.email);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(error(await call(SIGN_IN_WITH_CODE, { email: member.email, code: wrong }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call(SIGN_IN_WITH_CODE, { email: member.email, code })).errors).toBeUndefined();
    expect(error(await call(SIGN_IN_WITH_CODE, { email: member.email, code }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('keeps one live code per address: a new request replaces the old code', async () => {
    const member = await server.user('MEMBER');
    const first = await requestCode(member.email);
    let second = await requestCode(member.email);
    // Two draws may coincide (one in a million); ask again until they differ.
    while (second === first) second = await requestCode(member.email);
    expect(error(await call(SIGN_IN_WITH_CODE, { email: member.email, code: first }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call(SIGN_IN_WITH_CODE, { email: member.email, code: second })).errors).toBeUndefined();
  });

  it('expires a code after 10 minutes', async () => {
    const member = await server.user('MEMBER');
    const other = await server.user('MEMBER');
    const code = await requestCode(member.email);
    const otherCode = await requestCode(other.email);
    clock += 9 * 60_000 + 59_000;
    expect((await call(SIGN_IN_WITH_CODE, { email: other.email, code: otherCode })).errors).toBeUndefined();
    clock += 1_000;
    expect(error(await call(SIGN_IN_WITH_CODE, { email: member.email, code }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('gives an address 5 codes an hour, then RATE_LIMITED with retryAfterSeconds', async () => {
    const member = await server.user('MEMBER');
    for (let i = 0; i < 5; i++) expect((await call(REQUEST_CODE, { email: member.email })).data).toEqual({ requestSignInCode: true });
    const limited = await call(REQUEST_CODE, { email: member.email });
    expect(error(limited).code).toBe('RATE_LIMITED');
    const retryAfter = limited.errors![0].extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(3_500);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    // An address without an account is limited alike.
    const nobody = `nobody.${Date.now()}@example.test`;
    for (let i = 0; i < 5; i++) await call(REQUEST_CODE, { email: nobody });
    expect(error(await call(REQUEST_CODE, { email: nobody })).code).toBe('RATE_LIMITED');
    clock += 3_600_000;
    expect((await call(REQUEST_CODE, { email: member.email })).data).toEqual({ requestSignInCode: true });
  });
});

describe('refresh tokens', () => {
  it('rotate: each is used once and gives a new pair', async () => {
    const member = await server.user('MEMBER');
    const first = await signInByCode(member.email);
    const second = (await call<{ refreshSession: Payload }>(REFRESH, { refreshToken: first.refreshToken })).data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(member.id);
    expect((await meWith(second.accessToken)).data).toMatchObject({ me: { id: member.id } });
    const third = (await call<{ refreshSession: Payload }>(REFRESH, { refreshToken: second.refreshToken })).data!.refreshSession;
    expect(third.refreshToken).toMatch(/^[\w-]{43}$/);
  });

  it('revoke their whole family when a used one comes back, and no other family', async () => {
    const member = await server.user('MEMBER');
    const phone = await signInByCode(member.email);
    const laptop = await signInByCode(member.email);
    const rotated = (await call<{ refreshSession: Payload }>(REFRESH, { refreshToken: phone.refreshToken })).data!.refreshSession;
    // The old token again (a thief's copy, or a replay): refused, and the rotated one dies with it.
    expect(error(await call(REFRESH, { refreshToken: phone.refreshToken }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(error(await call(REFRESH, { refreshToken: rotated.refreshToken }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call(REFRESH, { refreshToken: laptop.refreshToken })).errors).toBeUndefined();
  });

  it('are refused when unknown, malformed or expired (REFRESH_TOKEN_TTL, 30 days)', async () => {
    const member = await server.user('MEMBER');
    const session = await signInByCode(member.email);
    expect(error(await call(REFRESH, { refreshToken: 'A'.repeat(43) }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(error(await call(REFRESH, { refreshToken: '' }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    clock += 30 * 86_400_000 + 1_000;
    expect(error(await call(REFRESH, { refreshToken: session.refreshToken }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('end with signOut: that session only', async () => {
    const member = await server.user('MEMBER');
    const one = await signInByCode(member.email);
    const two = await signInByCode(member.email);
    expect((await call('mutation ($t: String!) { signOut(refreshToken: $t) }', { t: one.refreshToken }, one.accessToken)).data).toEqual({ signOut: true });
    expect(error(await call(REFRESH, { refreshToken: one.refreshToken }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call(REFRESH, { refreshToken: two.refreshToken })).errors).toBeUndefined();
    // Someone else's token is left alone.
    const other = await server.user('MEMBER');
    const theirs = await signInByCode(other.email);
    expect((await call('mutation ($t: String!) { signOut(refreshToken: $t) }', { t: theirs.refreshToken }, two.accessToken)).data).toEqual({ signOut: true });
    expect((await call(REFRESH, { refreshToken: theirs.refreshToken })).errors).toBeUndefined();
  });
});

describe('passwords', () => {
  const password = 'correct horse battery';

  it('are set after a first sign-in, then sign in; wrong password and unknown email get the same answer', async () => {
    const member = await server.user('MEMBER');
    expect((await call(SET_PASSWORD, { next: password }, member.token)).data).toEqual({ setPassword: true });
    const session = (await call<{ signInWithPassword: Payload }>(SIGN_IN_WITH_PASSWORD, { email: member.email.toUpperCase(), password })).data!.signInWithPassword;
    expect(session.user.id).toBe(member.id);
    const wrong = await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password: 'incorrect horse battery' });
    const unknown = await call(SIGN_IN_WITH_PASSWORD, { email: `nobody.${Date.now()}@example.test`, password });
    const noPassword = await call(SIGN_IN_WITH_PASSWORD, { email: (await server.user('MEMBER')).email, password });
    expect(error(wrong)).toEqual({ code: 'UNAUTHENTICATED', field: undefined, message: expect.any(String) });
    expect(unknown).toEqual(wrong);
    expect(noPassword).toEqual(wrong);
  });

  it('are 10 to 200 characters; the current one is required to change it', async () => {
    const member = await server.user('MEMBER');
    expect(error(await call(SET_PASSWORD, { next: 'short' }, member.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(error(await call(SET_PASSWORD, { next: 'x'.repeat(201) }, member.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(error(await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password: '' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(error(await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password: 'x'.repeat(10_000) }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    await call(SET_PASSWORD, { next: password }, member.token);
    expect(error(await call(SET_PASSWORD, { next: 'another good one' }, member.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    expect(error(await call(SET_PASSWORD, { current: 'not the password', next: 'another good one' }, member.token))).toMatchObject({ code: 'UNAUTHENTICATED', field: 'currentPassword' });
    expect((await call(SET_PASSWORD, { current: password, next: 'another good one' }, member.token)).data).toEqual({ setPassword: true });
    expect(error(await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password: 'another good one' })).errors).toBeUndefined();
  });

  it('allow 10 failures per account in 15 minutes, then RATE_LIMITED (unknown addresses alike)', async () => {
    const member = await server.user('MEMBER');
    await call(SET_PASSWORD, { next: password }, member.token);
    const nobody = `nobody.${Date.now()}@example.test`;
    // All at once: each attempt is counted before its KDF runs, so a burst cannot slip past the count.
    const guesses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        call(SIGN_IN_WITH_PASSWORD, { email: member.email, password: `wrong guess ${i}` }),
        call(SIGN_IN_WITH_PASSWORD, { email: nobody, password: `wrong guess ${i}` }),
      ]).flat(),
    );
    expect(guesses.map((answer) => error(answer).code)).toEqual(Array(20).fill('UNAUTHENTICATED'));
    const limited = await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password });
    expect(error(limited).code).toBe('RATE_LIMITED');
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(800);
    expect(error(await call(SIGN_IN_WITH_PASSWORD, { email: nobody, password })).code).toBe('RATE_LIMITED');
    clock += 15 * 60_000;
    expect((await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password })).errors).toBeUndefined();
  });
});

describe('signOutEverywhere', () => {
  it('refuses every refresh token and every access token issued before it, and closes open websockets', async () => {
    const member = await server.user('MEMBER');
    const one = await signInByCode(member.email);
    const two = await signInByCode(member.email);
    const socket = openSocket(server, two.accessToken);
    await socket.connected;
    clock += 1_000; // the test's clock stands still; real sign-outs come after the tokens they end

    expect((await call('mutation { signOutEverywhere }', {}, one.accessToken)).data).toEqual({ signOutEverywhere: true });
    expect((await socket.closed).code).toBe(4401);
    for (const token of [one.accessToken, two.accessToken, member.token]) {
      const answer = await meWith(token);
      expect(answer.status).toBe(401);
      expect(error(answer).code).toBe('UNAUTHENTICATED');
    }
    for (const refreshToken of [one.refreshToken, two.refreshToken]) {
      expect(error(await call(REFRESH, { refreshToken })).code).toBe('UNAUTHENTICATED');
    }
    // Signing in again works at once.
    const again = await signInByCode(member.email);
    expect((await meWith(again.accessToken)).data).toMatchObject({ me: { id: member.id } });
  });
});

describe('updateProfile', () => {
  const UPDATE = 'mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id name timezone } }';
  let member: TestUser;
  beforeAll(async () => {
    member = await server.user('MEMBER');
  });

  it('keeps the IANA spelling the client sent', async () => {
    for (const timezone of ['Europe/Kyiv', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York']) {
      expect((await call(UPDATE, { input: { timezone } }, member.token)).data).toMatchObject({ updateProfile: { timezone } });
      expect((await meWith(member.token)).data).toMatchObject({ me: { timezone } });
    }
  });

  it('changes the name, leaves out what is not given, and null timezone means the studio zone', async () => {
    await call(UPDATE, { input: { timezone: 'Europe/Kyiv' } }, member.token);
    expect((await call(UPDATE, { input: { name: '  Ada Lovelace ' } }, member.token)).data).toMatchObject({ updateProfile: { name: 'Ada Lovelace', timezone: 'Europe/Kyiv' } });
    expect((await call(UPDATE, { input: { timezone: null } }, member.token)).data).toMatchObject({ updateProfile: { name: 'Ada Lovelace', timezone: 'UTC' } });
  });

  it('refuses unknown zones and empty or long names, naming the field, and writes nothing', async () => {
    await call(UPDATE, { input: { name: 'Grace Hopper', timezone: 'Europe/Paris' } }, member.token);
    for (const timezone of ['Mars/Olympus_Mons', 'UTC+3', '', '../../etc/passwd', 'x'.repeat(300)]) {
      expect(error(await call(UPDATE, { input: { name: 'Changed', timezone } }, member.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.timezone' });
    }
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      expect(error(await call(UPDATE, { input: { name } }, member.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    }
    expect((await meWith(member.token)).data).toMatchObject({ me: { name: 'Grace Hopper', timezone: 'Europe/Paris' } });
  });
});

describe('failed attempts', () => {
  it('write nothing but their counters', async () => {
    const member = await server.user('MEMBER');
    await call(SET_PASSWORD, { next: 'correct horse battery' }, member.token);
    const session = await signInByCode(member.email);
    const code = await requestCode(member.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const TABLES = ['users', 'refresh_tokens', 'outbox_messages', 'training_sessions', 'recurring_bookings'];
    const before = await tableDigests(server.db, TABLES);
    const attemptsBefore = await server.db.query<{ attempts: number }>('SELECT attempts FROM sign_in_codes WHERE email = $1', [member.email]);
    const failures = [
      await call(SIGN_IN_WITH_CODE, { email: member.email, code: wrong }),
      await call(SIGN_IN_WITH_CODE, { email: `nobody.${Date.now()}@example.test`, code }),
      await call(SIGN_IN_WITH_PASSWORD, { email: member.email, password: 'incorrect horse battery' }),
      await call(SIGN_IN_WITH_PASSWORD, { email: `nobody.${Date.now()}@example.test`, password: 'incorrect horse battery' }),
      await call(REFRESH, { refreshToken: 'B'.repeat(43) }),
      await call(SET_PASSWORD, { current: 'incorrect horse battery', next: 'a brand new password' }, session.accessToken),
      await call(SET_PASSWORD, { current: 'correct horse battery', next: 'short' }, session.accessToken),
      await call('mutation { updateProfile(input: { timezone: "Nowhere/Special" }) { id } }', {}, session.accessToken),
    ];
    expect(failures.map((answer) => error(answer).code)).toEqual([
      'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'BAD_USER_INPUT', 'BAD_USER_INPUT',
    ]);
    expect(await tableDigests(server.db, TABLES)).toEqual(before);
    // The counters: the code's tries, and the password failures of the account.
    expect(await server.db.query('SELECT attempts FROM sign_in_codes WHERE email = $1', [member.email])).toEqual([{ attempts: attemptsBefore[0].attempts + 1 }]);
  });
});

describe('invitations', () => {
  it('mail a person an owner adds how to sign in, with the studio address', async () => {
    const owner = await server.user('OWNER');
    const email = `invited.${Date.now()}@example.test`;
    const created = await call<{ createUser: { id: string } }>(
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { email, name: 'Invited Person', role: 'MEMBER' } },
      owner.token,
    );
    expect(created.errors).toBeUndefined();
    const mail = await mailbox.next(email, 0, (m) => !isCodeMail(m));
    expect(mail.subject).toMatch(/how to sign in/i);
    expect(mail.text).toContain('Invited Person');
    expect(mail.text).toContain('https://studio.example');
    expect(mail.text).toContain('6-digit code');
    // And the way it describes works.
    const session = await signInByCode(email);
    expect(session.user.id).toBe(created.data!.createUser.id);
  });
});

describe('the server log', () => {
  it('holds no code, password or token that these specs used (SMTP configured)', () => {
    expect(secrets.size).toBeGreaterThan(20);
    const text = JSON.stringify(logLines);
    expect([...secrets].filter((secret) => text.includes(secret))).toEqual([]);
  });
});

describe('without SMTP, in development', () => {
  it('writes the code to the log for any address (the one secret ever logged), so npm start alone lets you sign in', async () => {
    const lines: Record<string, unknown>[] = [];
    const bare = await startTestServer({ logLines: lines, env: { NODE_ENV: 'development' } });
    try {
      const member = await bare.user('MEMBER');
      const nobody = `nobody.${Date.now()}@example.test`;
      await call(REQUEST_CODE, { email: nobody }, null, bare);
      await call(REQUEST_CODE, { email: member.email }, null, bare);
      const codeLines = lines.filter((line) => typeof line.code === 'string');
      expect(codeLines.map((line) => line.email)).toEqual([nobody, member.email]);
      expect(shapeOf(codeLines[0])).toEqual(shapeOf(codeLines[1]));
      const answer = await call<{ signInWithCode: Payload }>(SIGN_IN_WITH_CODE, { email: member.email, code: codeLines[1].code }, null, bare);
      expect(answer.data?.signInWithCode.user.id).toBe(member.id);
    } finally {
      await bare.stop();
    }
  });

  it('never logs a code in production, for any address', async () => {
    const lines: Record<string, unknown>[] = [];
    const production = await startTestServer({ logLines: lines, env: { NODE_ENV: 'production' } });
    try {
      const member = await production.user('MEMBER');
      expect((await call(REQUEST_CODE, { email: member.email }, null, production)).data).toEqual({ requestSignInCode: true });
      expect(lines.filter((line) => 'code' in line)).toEqual([]);
      expect(lines.map((line) => line.msg)).toContain('SMTP_URL is not set: sign-in codes cannot be delivered; people sign in with a password or the identity provider');
    } finally {
      await production.stop();
    }
  });
});
