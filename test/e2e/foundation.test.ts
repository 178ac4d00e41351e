import {
  CoachSettingsDocument,
  CoachesDocument,
  CreateRoomDocument,
  CreateUserDocument,
  MeDocument,
  RoomsDocument,
  UpdateCoachSettingsDocument,
  UsersDocument,
} from '../generated/graphql';
import { SignJWT } from 'jose';
import { errorOf, startTestServer, TEST_JWT_SECRET, type TestServer, type TestUser } from '../support/server';

let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let member: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER', 'Olivia Owner');
  coach = await server.user('COACH', 'Carl Coach');
  member = await server.user('MEMBER', 'Mia Member');
});
afterAll(() => server.stop());

const count = async (table: string) => Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe('health', () => {
  it('answers /healthz and /readyz without a token', async () => {
    const base = server.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('authentication', () => {
  it('answers `me` for a valid token', async () => {
    const data = await server.ok(MeDocument, {}, member);
    expect(data.me).toMatchObject({ id: member.id, role: 'MEMBER', name: 'Mia Member' });
  });

  it('refuses `me` without a token with UNAUTHENTICATED', async () => {
    expect(errorOf(await server.request(MeDocument, {}, null)).code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a garbage token', 'not-a-jwt'],
    ['a token signed with another secret', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ['an unsigned alg:none token', 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.'],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_label, token) => {
    const result = await server.request(MeDocument, {}, token);
    expect(result.status).toBe(401);
    expect(errorOf(result).code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token, and one whose subject is not a user id', async () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(member.id).setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_060).sign(key);
    const odd = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('not-a-uuid').setExpirationTime('1h').sign(key);
    for (const token of [expired, odd]) {
      const result = await server.request(MeDocument, {}, token);
      expect({ status: result.status, code: errorOf(result).code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses a valid token whose user no longer exists', async () => {
    const ghost = await server.user('MEMBER');
    await server.db.query('DELETE FROM users WHERE id = $1', [ghost.id]);
    expect(errorOf(await server.request(MeDocument, {}, ghost)).code).toBe('UNAUTHENTICATED');
  });

  it('sends a request id back for every request', async () => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });
});

describe('users', () => {
  it('lets the owner create a user, normalising the email', async () => {
    const data = await server.ok(CreateUserDocument, { input: { email: 'New.Member@Example.TEST', name: 'New Member', role: 'MEMBER' } }, owner);
    expect(data.createUser).toMatchObject({ email: 'new.member@example.test', role: 'MEMBER' });
  });

  it('refuses a duplicate email with CONFLICT and writes nothing', async () => {
    const before = await count('users');
    const result = await server.request(CreateUserDocument, { input: { email: coach.email.toUpperCase(), name: 'Twin', role: 'COACH' } }, owner);
    expect(errorOf(result).code).toBe('CONFLICT');
    expect(await count('users')).toBe(before);
  });

  it.each([
    ['a malformed email', { email: 'not-an-email', name: 'X', role: 'MEMBER' }, 'input.email'],
    ['an empty name', { email: 'empty.name@example.test', name: '', role: 'MEMBER' }, 'input.name'],
    ['a blank name', { email: 'blank.name@example.test', name: '   ', role: 'MEMBER' }, 'input.name'],
    ['a 101-character name', { email: 'long.name@example.test', name: 'x'.repeat(101), role: 'MEMBER' }, 'input.name'],
    ['an unknown role', { email: 'bad.role@example.test', name: 'X', role: 'ADMIN' }, 'input.role'],
  ])('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_label, input, field) => {
    const before = await count('users');
    const result = await server.request(CreateUserDocument, { input: input as never }, owner);
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count('users')).toBe(before);
  });

  it('lets only owners create users or list them', async () => {
    const input = { email: 'sneaky@example.test', name: 'Sneaky', role: 'OWNER' as const };
    expect(errorOf(await server.request(CreateUserDocument, { input }, member)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(CreateUserDocument, { input }, coach)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(UsersDocument, {}, coach)).code).toBe('FORBIDDEN');
  });

  it('lists users by role for owners, and coaches for everyone', async () => {
    const coaches = (await server.ok(UsersDocument, { role: 'COACH' }, owner)).users;
    expect(coaches.every((u) => u.role === 'COACH')).toBe(true);
    expect((await server.ok(CoachesDocument, {}, member)).coaches.map((c) => c.id)).toContain(coach.id);
  });
});

describe('rooms', () => {
  it('creates a room with capacity 1 by default', async () => {
    const data = await server.ok(CreateRoomDocument, { name: 'Studio A' }, owner);
    expect(data.createRoom).toMatchObject({ name: 'Studio A', capacity: 1 });
    expect((await server.ok(RoomsDocument, {}, member)).rooms.map((r) => r.name)).toContain('Studio A');
  });

  it.each([
    ['capacity 0', { name: 'Zero', capacity: 0 }, 'capacity'],
    ['a negative capacity', { name: 'Negative', capacity: -3 }, 'capacity'],
    ['an empty name', { name: '  ', capacity: 2 }, 'name'],
  ])('refuses %s with BAD_USER_INPUT', async (_label, variables, field) => {
    const before = await count('rooms');
    expect(errorOf(await server.request(CreateRoomDocument, variables, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count('rooms')).toBe(before);
  });

  it('refuses a second room with the same name as a CONFLICT', async () => {
    await server.ok(CreateRoomDocument, { name: 'Studio B' }, owner);
    expect(errorOf(await server.request(CreateRoomDocument, { name: 'Studio B' }, owner)).code).toBe('CONFLICT');
  });

  it('lets only owners create rooms', async () => {
    expect(errorOf(await server.request(CreateRoomDocument, { name: 'Coach room' }, coach)).code).toBe('FORBIDDEN');
  });
});

describe('coach settings', () => {
  it('gives a coach without settings the defaults (no room, 60 minutes)', async () => {
    const data = await server.ok(CoachSettingsDocument, { coachId: coach.id }, member);
    expect(data.coachSettings).toEqual({ coach: { id: coach.id }, defaultRoom: null, defaultDurationMinutes: 60 });
  });

  it('lets a coach set their own default room and duration', async () => {
    const room = (await server.ok(CreateRoomDocument, { name: 'Coach Corner' }, owner)).createRoom;
    const data = await server.ok(UpdateCoachSettingsDocument, { input: { defaultRoomId: room.id, defaultDurationMinutes: 45 } }, coach);
    expect(data.updateCoachSettings).toEqual({ coach: { id: coach.id }, defaultRoom: { id: room.id, name: 'Coach Corner' }, defaultDurationMinutes: 45 });
  });

  it('lets the owner change any coach, but requires the coachId', async () => {
    expect(errorOf(await server.request(UpdateCoachSettingsDocument, { input: { defaultDurationMinutes: 30 } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.coachId' });
    const data = await server.ok(UpdateCoachSettingsDocument, { input: { coachId: coach.id, defaultDurationMinutes: 30 } }, owner);
    expect(data.updateCoachSettings.defaultDurationMinutes).toBe(30);
  });

  it('keeps coaches out of other coaches\' settings', async () => {
    const other = await server.user('COACH');
    expect(errorOf(await server.request(UpdateCoachSettingsDocument, { input: { coachId: other.id, defaultDurationMinutes: 30 } }, coach)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(UpdateCoachSettingsDocument, { input: { coachId: coach.id, defaultDurationMinutes: 30 } }, member)).code).toBe('FORBIDDEN');
  });

  it.each([
    ['a 14-minute duration', { defaultDurationMinutes: 14 }, 'BAD_USER_INPUT', 'input.defaultDurationMinutes'],
    ['a 481-minute duration', { defaultDurationMinutes: 481 }, 'BAD_USER_INPUT', 'input.defaultDurationMinutes'],
    ['an unknown room', { defaultRoomId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'input.defaultRoomId'],
    ['a malformed room id', { defaultRoomId: 'room-1' }, 'BAD_USER_INPUT', 'input.defaultRoomId'],
  ])('refuses %s, writing nothing', async (_label, input, code, field) => {
    const before = await server.db.query('SELECT * FROM coach_settings ORDER BY coach_id');
    expect(errorOf(await server.request(UpdateCoachSettingsDocument, { input }, coach))).toMatchObject({ code, field });
    expect(await server.db.query('SELECT * FROM coach_settings ORDER BY coach_id')).toEqual(before);
  });

  it('answers NOT_FOUND for settings of someone who is not a coach', async () => {
    expect(errorOf(await server.request(CoachSettingsDocument, { coachId: member.id }, owner)).code).toBe('NOT_FOUND');
  });
});

describe('errors', () => {
  it('reports a variable of the wrong type as BAD_USER_INPUT naming it', async () => {
    const result = await server.request(CreateRoomDocument, { name: 'X', capacity: 'many' as never }, owner);
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'capacity' });
  });

  it('reports an unknown field as BAD_USER_INPUT', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: '{ me { password } }' }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses queries nested deeper than the limit', async () => {
    const deep = `{ coachSettings(coachId: "${coach.id}") { coach { id } ${'defaultRoom { id '.repeat(1)}} } }`;
    const ok = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ query: deep }) });
    expect(ok.status).toBe(200);
    // 11 levels (introspection is exempt from this rule: graphql-js's own MaxIntrospectionDepthRule bounds it).
    const tooDeep = `{ sessions { edges { node { ${'recurringBooking { sessions { '.repeat(4)}id ${'} } '.repeat(4)}} } } }`;
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ query: tooDeep }) });
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toMatch(/Query is too deep: 11 levels/);
  });
});
