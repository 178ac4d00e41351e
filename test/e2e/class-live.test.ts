import {
  CancelEnrollmentDocument,
  ChangeClassCapacityDocument,
  ClassSessionChangedDocument,
  CreateClassTypeDocument,
  EnrollInClassDocument,
  EnrollmentChangedDocument,
  ScheduleClassDocument,
  type ClassSessionChangedSubscription,
  type EnrollmentChangedSubscription,
} from '../generated/graphql';
import { subscribe, waitUntilListening, wsClient, type LiveSubscription } from '../support/live';
import { createRoom } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/** Live classes over a real graphql-ws client: a member's enrollments, and a class's places. */
const HOUR = 3_600_000;
let server: TestServer;
let owner: TestUser;
let roomId: string;
let typeId: string;
let slot = 0;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  roomId = await createRoom(server, owner, 100);
  typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Spin', durationMinutes: 45, capacity: 1, waitlistCapacity: 5 } }, owner)).createClassType.id;
});
afterAll(() => server.stop());

/** A class days ahead (before the cutoff: freed places are booked at once), with a coach of its own. */
async function newClass() {
  slot += 1;
  const start = new Date(Math.ceil((Date.now() + 5 * 24 * HOUR) / HOUR) * HOUR + slot * HOUR);
  const coach = await server.user('COACH');
  return (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
}

const enroll = async (classId: string, member: TestUser) => (await server.ok(EnrollInClassDocument, { sessionId: classId }, member)).enrollInClass;

describe('enrollmentChanged', () => {
  it("tells a waitlisted member of their promotion the moment another member cancels, and the next in line of their new position, nobody else's", async () => {
    const cls = await newClass();
    const [holder, first, second] = [await server.user('MEMBER'), await server.user('MEMBER'), await server.user('MEMBER')];
    const held = await enroll(cls.id, holder);
    const firstEntry = await enroll(cls.id, first);
    const secondEntry = await enroll(cls.id, second);
    const clients = [wsClient(server, first), wsClient(server, second)];
    const [mine, next] = clients.map((client) => subscribe(client, EnrollmentChangedDocument));
    try {
      // Registered once a probe's event arrives: each member joins a class of their own.
      for (const [live, who] of [[mine, first], [next, second]] as const) {
        let probe = '';
        await waitUntilListening(live, async () => void (probe = (await enroll((await newClass()).id, who)).id), (d) => d.enrollmentChanged.id === probe);
        live.clear();
      }
      await server.ok(CancelEnrollmentDocument, { id: held.id }, holder);
      const promoted = await mine.next((d) => d.enrollmentChanged.id === firstEntry.id);
      expect(promoted.data.enrollmentChanged).toEqual({
        id: firstEntry.id, status: 'BOOKED', waitlistPosition: null, offerExpiresAt: null, session: { id: cls.id, bookedCount: 1 }, member: { id: first.id },
      });
      const moved = await next.next((d) => d.enrollmentChanged.id === secondEntry.id);
      expect(moved.data.enrollmentChanged).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
      const everyone = (live: LiveSubscription<EnrollmentChangedSubscription>) => live.events.map((e) => e.data.enrollmentChanged.member.id);
      expect(new Set(everyone(mine))).toEqual(new Set([first.id]));
      expect(new Set(everyone(next))).toEqual(new Set([second.id]));
    } finally {
      mine.dispose();
      next.dispose();
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });
});

describe('classSessionChanged', () => {
  it("follows one class's places and capacity; a window elsewhere hears nothing of it", async () => {
    const cls = await newClass();
    const client = wsClient(server, await server.user('MEMBER'));
    const one = subscribe(client, ClassSessionChangedDocument, { sessionId: cls.id });
    const start = new Date(cls.startTime).getTime();
    const elsewhere = subscribe(client, ClassSessionChangedDocument, { from: new Date(start + 365 * 24 * HOUR).toISOString() });
    const about = (d: ClassSessionChangedSubscription) => d.classSessionChanged.id === cls.id;
    try {
      await waitUntilListening(one, async () => void (await server.ok(ChangeClassCapacityDocument, { id: cls.id, capacity: 2 }, owner)), about);
      one.clear();
      await enroll(cls.id, await server.user('MEMBER'));
      expect((await one.next((d) => d.classSessionChanged.bookedCount === 1)).data.classSessionChanged).toEqual({
        id: cls.id, status: 'SCHEDULED', capacity: 2, bookedCount: 1, waitlistCount: 0, spotsLeft: 1,
      });
      await server.ok(ChangeClassCapacityDocument, { id: cls.id, capacity: 3 }, owner);
      expect((await one.next((d) => d.classSessionChanged.capacity === 3)).data.classSessionChanged.spotsLeft).toBe(2);
      expect(elsewhere.events).toEqual([]);
    } finally {
      one.dispose();
      elsewhere.dispose();
      await client.dispose();
    }
  });
});
