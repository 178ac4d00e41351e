import { randomUUID } from 'node:crypto';
import { decodeBatch, encodeBatch, packId, unpackId, type SessionChangeRef } from '../../src/events/wire';

/** The messages instances exchange: small, few, and read back exactly. */
const LIMIT = 7_900;
const at = new Date('2026-03-29T08:00:00.000Z');
const change = (overrides: Partial<SessionChangeRef> = {}): SessionChangeRef => ({
  kind: 'STATUS_CHANGED',
  sessionId: randomUUID(),
  previousStatus: 'SCHEDULED',
  at,
  ...overrides,
});

describe('ids on the wire', () => {
  it('packs a UUID into 22 characters and back', () => {
    const id = randomUUID();
    expect(packId(id)).toHaveLength(22);
    expect(unpackId(packId(id))).toBe(id);
  });

  it('refuses what is not a UUID', () => {
    expect(() => packId('not-a-uuid')).toThrow('Not a UUID');
  });
});

describe('encodeBatch / decodeBatch', () => {
  it('carries kinds, previous statuses, instants and ids exactly, in order', () => {
    const sessions = [
      change({ kind: 'CREATED', previousStatus: null }),
      change(),
      change({ kind: 'RESCHEDULED', previousStatus: null, at: new Date(at.getTime() + 1) }),
      change({ previousStatus: 'SCHEDULED' }),
    ];
    const runs = [randomUUID()];
    const messages = encodeBatch({ sessions, generationRuns: runs }, LIMIT);
    expect(messages).toHaveLength(1);
    expect(decodeBatch(messages[0])).toEqual({ sessions, generationRuns: runs });
  });

  it('carries the people who signed out everywhere, and leaves the field out when there are none', () => {
    const signedOut = [randomUUID(), randomUUID()];
    const messages = encodeBatch({ sessions: [], generationRuns: [], signedOut }, LIMIT);
    expect(messages).toHaveLength(1);
    expect(decodeBatch(messages[0])).toEqual({ sessions: [], generationRuns: [], signedOut });
    expect(JSON.parse(encodeBatch({ sessions: [], generationRuns: [randomUUID()], signedOut: [] }, LIMIT)[0])).not.toHaveProperty('o');
  });

  it('puts 2,000 changes of one kind into 6 messages, each under the limit, losing nothing', () => {
    const sessions = Array.from({ length: 2000 }, () => change());
    const messages = encodeBatch({ sessions, generationRuns: [] }, LIMIT);
    expect(messages.length).toBe(6);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(LIMIT);
    expect(messages.flatMap((message) => decodeBatch(message)!.sessions)).toEqual(sessions);
  });

  it('stays under the limit when every change differs in kind or instant', () => {
    const sessions = Array.from({ length: 500 }, (_, i) => change({ at: new Date(at.getTime() + i), kind: i % 2 ? 'CREATED' : 'STATUS_CHANGED', previousStatus: i % 2 ? null : 'SCHEDULED' }));
    const generationRuns = Array.from({ length: 300 }, () => randomUUID());
    const messages = encodeBatch({ sessions, generationRuns }, 1_000);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(1_000);
    const decoded = messages.map((message) => decodeBatch(message)!);
    expect(decoded.flatMap((batch) => batch.sessions)).toEqual(sessions);
    expect(decoded.flatMap((batch) => batch.generationRuns)).toEqual(generationRuns);
  });

  it('sends nothing for nothing', () => {
    expect(encodeBatch({ sessions: [], generationRuns: [] }, LIMIT)).toEqual([]);
  });

  it.each([
    ['not JSON', 'hello'],
    ['another version', JSON.stringify({ v: 2, g: [], r: [] })],
    ['an unknown kind', JSON.stringify({ v: 1, g: [{ k: 'DELETED', p: null, t: 0, i: packId(randomUUID()) }], r: [] })],
    ['an unknown status', JSON.stringify({ v: 1, g: [{ k: 'CREATED', p: 'LOST', t: 0, i: packId(randomUUID()) }], r: [] })],
    ['a cut-off id', JSON.stringify({ v: 1, g: [{ k: 'CREATED', p: null, t: 0, i: 'abc' }], r: [] })],
  ])('ignores %s', (_label, text) => {
    expect(decodeBatch(text)).toBeNull();
  });
});
