import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  parse,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { POLICY } from '../../src/auth/policy';
import type { Role } from '../../src/domain/lifecycle';
import { BookSessionDocument, CreateClassTypeDocument, EnrollInClassDocument, GenerateSessionsDocument, ScheduleClassDocument } from '../generated/graphql';
import { wsClient, LiveSubscription, waitUntilListening } from '../support/live';
import { coachWithHours, localAt } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Walks every Query and Mutation field of the emitted schema as: no token, each role.
 * Whatever the arguments, an anonymous caller gets UNAUTHENTICATED, except on the
 * few operations the contract marks "Anonymous" (signing in), and a role the policy
 * table leaves out gets FORBIDDEN; a role it lets in never does (its answer may still
 * be NOT_FOUND, BAD_USER_INPUT, CONFLICT or data). Ownership ('own'): every case in
 * ownership.test.ts, and in more depth in each feature's own tests.
 */
const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
const ROLES: Role[] = ['MEMBER', 'COACH', 'OWNER'];

const operations = [
  ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ root: 'Query' as const, field })),
  ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ root: 'Mutation' as const, field })),
];
const subscriptions = Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).map((name) => `Subscription.${name}`);

/** A literal of the right shape for any input type: enough to get past GraphQL's own validation. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return JSON.stringify(randomUUID());
      case 'Int':
        return '1';
      case 'Float':
        return '1.5';
      case 'Boolean':
        return 'true';
      case 'DateTime':
        return JSON.stringify(new Date(Date.now() + 30 * 86_400_000).toISOString());
      case 'LocalDate':
        return JSON.stringify(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
      case 'LocalTime':
        return '"10:00"';
      default:
        return '"x"';
    }
  }
  throw new Error(`No literal for ${String(type)}`);
}

function documentFor(root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const args = required.length ? `(${required.map((a) => `${a.name}: ${literal(a.type)}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return `${root === 'Query' ? 'query' : 'mutation'} { ${field.name}${args}${selection} }`;
}

let server: TestServer;
const users = {} as Record<Role, TestUser>;

beforeAll(async () => {
  server = await startTestServer();
  users.OWNER = await server.user('OWNER');
  users.MEMBER = await server.user('MEMBER');
  users.COACH = (await coachWithHours(server, users.OWNER)).coach;
});
afterAll(() => server.stop());

async function answerOf(query: string, token?: string): Promise<{ code: unknown; message?: string }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { message?: string; extensions?: { code?: string } }[] };
  return { code: body.errors?.[0]?.extensions?.code ?? 'OK', message: body.errors?.[0]?.message };
}

async function codeOf(query: string, token?: string): Promise<unknown> {
  return (await answerOf(query, token)).code;
}

/** The contract's "Anonymous" operations: signing in needs no token. */
const ANONYMOUS = ['Mutation.requestSignInCode', 'Mutation.signInWithCode', 'Mutation.signInWithPassword', 'Mutation.refreshSession'];
/** Operations that end the caller's own tokens: each role calls them as a person of its own. */
const ENDS_CALLERS_TOKENS = new Set(['Mutation.signOutEverywhere']);

describe('the access policy table', () => {
  it('opens to anonymous callers exactly the operations the contract marks "Anonymous"', () => {
    const contractText = readFileSync(path.resolve(__dirname, '../../contract/API.graphql'), 'utf8');
    const marked = [...contractText.matchAll(/#\s*Anonymous[^\n]*\n(?:\s*#[^\n]*\n)*\s*(\w+)\(/g)].map((match) => `Mutation.${match[1]}`).sort();
    expect(marked).toEqual([...ANONYMOUS].sort());
    expect(Object.keys(POLICY).filter((field) => POLICY[field].ANONYMOUS).sort()).toEqual([...ANONYMOUS].sort());
  });

  it('has a row for every Query, Mutation and Subscription field, and no row for anything else', () => {
    const fields = [...operations.map(({ root, field }) => `${root}.${field.name}`), ...subscriptions].sort();
    expect(fields.filter((f) => !POLICY[f])).toEqual([]);
    // Rows for operations not (yet) in the schema would be dead policy.
    const contract = buildSchema(readFileSync(path.resolve(__dirname, '../../contract/API.graphql'), 'utf8'));
    const contractFields = [contract.getQueryType(), contract.getMutationType(), contract.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}).map((name) => `${type!.name}.${name}`),
    );
    expect(Object.keys(POLICY).filter((f) => !contractFields.includes(f) && !fields.includes(f))).toEqual([]);
  });
});

describe.each(operations.map(({ root, field }) => [`${root}.${field.name}`, root, field] as const))('%s', (name, root, field) => {
  const query = documentFor(root, field);

  if (ANONYMOUS.includes(name)) {
    it('is open without a token, as the contract says', async () => {
      expect(POLICY[name].ANONYMOUS).toBe('all');
      // Its own answer may be UNAUTHENTICATED (a wrong code), never the missing-token refusal.
      const answer = await answerOf(query);
      expect(answer.message).not.toBe('Authentication required');
      expect(['FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(answer.code);
    });
  } else {
    it('is refused without a token (UNAUTHENTICATED)', async () => {
      expect(POLICY[name].ANONYMOUS).toBeUndefined();
      expect(await answerOf(query)).toEqual({ code: 'UNAUTHENTICATED', message: 'Authentication required' });
    });
  }

  it.each(ROLES)('as %s: follows the policy table', async (role) => {
    const caller = ENDS_CALLERS_TOKENS.has(name) ? await server.user(role) : users[role];
    const code = await codeOf(query, caller.token);
    if (POLICY[name][role] && ANONYMOUS.includes(name)) expect(['FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(code);
    else if (POLICY[name][role]) expect(['UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(code);
    else expect(code).toBe('FORBIDDEN');
  });
});

/**
 * Subscriptions: a role the table leaves out is refused with FORBIDDEN; a role it lets
 * in receives the events that changes it may see cause (the owner books a session of
 * MEMBER with COACH, runs generation, or a notification is made for each role's user):
 * each trigger fires one change and names the id its event carries for `role`.
 */
interface Trigger {
  /** What to select beside __typename to tell the events apart. */
  selection: string;
  idOf(event: Record<string, unknown>): string;
  fire(role: Role): Promise<string>;
}
let slot = 0;
let classTypeId: string | undefined;

/** A class of COACH's in the afternoon of a day no session trigger uses. */
async function scheduleClass() {
  slot += 1;
  classTypeId ??= (await server.ok(CreateClassTypeDocument, { input: { name: 'Authorization', durationMinutes: 60, capacity: 5 } }, users.OWNER)).createClassType.id;
  const startTime = localAt('UTC', 40 + slot, '15:00').toISOString();
  return (await server.ok(ScheduleClassDocument, { input: { classTypeId, coachId: users.COACH.id, startTime } }, users.OWNER)).scheduleClass;
}

const TRIGGERS: Record<string, Trigger> = {
  sessionChanged: {
    selection: 'session { id }',
    idOf: (event) => (event.session as { id: string }).id,
    fire: async () => {
      slot += 1;
      const startTime = localAt('UTC', 2 + slot, '10:00').toISOString();
      return (await server.ok(BookSessionDocument, { input: { coachId: users.COACH.id, memberId: users.MEMBER.id, startTime } }, users.OWNER)).bookSession.id;
    },
  },
  generationRunFinished: {
    selection: 'id',
    idOf: (event) => event.id as string,
    fire: async () => (await server.ok(GenerateSessionsDocument, {}, users.OWNER)).generateSessions.runId,
  },
  classSessionChanged: {
    selection: 'id',
    idOf: (event) => event.id as string,
    fire: async () => (await scheduleClass()).id,
  },
  // Only members have enrollments (the policy refuses the others).
  enrollmentChanged: {
    selection: 'id',
    idOf: (event) => event.id as string,
    fire: async () => (await server.ok(EnrollInClassDocument, { sessionId: (await scheduleClass()).id, memberId: users.MEMBER.id }, users.OWNER)).enrollInClass.id,
  },
  // A notification for each role's user, announced the way services do after commit.
  notificationReceived: {
    selection: 'id',
    idOf: (event) => event.id as string,
    fire: async (role) => {
      slot += 1;
      const rows = await server.db.query<{ id: string; user_id: string }>(
        `INSERT INTO notifications (user_id, kind, title, body, dedupe_key)
         SELECT unnest($1::uuid[]), 'GENERATION_FAILED', 'Test', 'Test', 'authorization-test:' || $2 || ':' || unnest($1::uuid[])
         RETURNING id::text, user_id::text`,
        [ROLES.map((r) => users[r].id), String(slot)],
      );
      server.app.events.notificationsCreated(rows.map((r) => r.id));
      return rows.find((r) => r.user_id === users[role].id)!.id;
    },
  },
};

describe.each(Object.values(schema.getSubscriptionType()?.getFields() ?? {}).map((field) => [`Subscription.${field.name}`, field] as const))('%s', (name, field) => {
  it.each(ROLES)('as %s: follows the policy table', async (role) => {
    const trigger = TRIGGERS[field.name];
    expect(trigger).toBeDefined(); // a new subscription needs a trigger here
    const client = wsClient(server, users[role]);
    const live = new LiveSubscription<Record<string, Record<string, unknown>>>(client, parse(`subscription { ${field.name} { __typename ${trigger.selection} } }`) as never);
    const heard = () => live.events.map((event) => trigger.idOf(event.data[field.name]));
    try {
      if (POLICY[name][role]) {
        // graphql-ws does not acknowledge a subscribe: fire until an event arrives, then once more
        // (events arrive in commit order: whatever was fired before the last one has arrived by then).
        const fired: string[] = [];
        const fire = async () => void fired.push(await trigger.fire(role));
        await waitUntilListening(live, fire, (data) => trigger.idOf(data[field.name]) === fired.at(-1));
        await fire();
        await live.next((data) => trigger.idOf(data[field.name]) === fired.at(-1));
        expect(live.errors).toEqual([]);
        // Every change fired from the first one heard, once each and in order, of the field's type.
        expect(heard()).toEqual(fired.slice(fired.indexOf(heard()[0])));
        expect(new Set(live.events.map((event) => event.data[field.name].__typename))).toEqual(new Set([getNamedType(field.type).name]));
      } else {
        await live.until(() => live.errors.length > 0, 5_000);
        expect(live.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
      }
    } finally {
      live.dispose();
      await client.dispose();
    }
  });
});
