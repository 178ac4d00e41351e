import { LocalPubSub, MAX_BACKLOG, TOPICS } from '../../src/graphql/pubsub';

/** The instance-local fan-out: batches in, one event at a time out, per subscriber. */
const topic = TOPICS.sessionChanged;

describe('LocalPubSub', () => {
  it('hands each subscriber every event of a batch, in order, one at a time', async () => {
    const pubSub = new LocalPubSub();
    const first = pubSub.subscribe(topic);
    const second = pubSub.subscribe(topic);
    pubSub.publishBatch(topic, [1, 2, 3]);
    pubSub.publish(topic, 4);
    for (const iterator of [first, second]) {
      const values = [];
      for (let i = 0; i < 4; i++) values.push((await iterator.next()).value);
      expect(values).toEqual([1, 2, 3, 4]);
    }
  });

  it("delivers to a subscriber only what its filter accepts, decided on publish", async () => {
    const pubSub = new LocalPubSub();
    const even = pubSub.subscribe(topic, (n: number) => n % 2 === 0);
    const all = pubSub.subscribe(topic);
    pubSub.publishBatch(topic, [1, 2, 3, 4]);
    expect([(await even.next()).value, (await even.next()).value]).toEqual([2, 4]);
    expect((await all.next()).value).toBe(1);
  });

  it('keeps an event from a subscriber whose filter throws, and only from that one', async () => {
    const pubSub = new LocalPubSub();
    const broken = pubSub.subscribe(topic, (n: number) => {
      if (n === 1) throw new Error('filter bug');
      return true;
    });
    const healthy = pubSub.subscribe(topic, () => true);
    pubSub.publishBatch(topic, [1, 2]);
    expect((await broken.next()).value).toBe(2);
    expect([(await healthy.next()).value, (await healthy.next()).value]).toEqual([1, 2]);
  });

  it('keeps topics apart and does not deliver what was published before subscribing', async () => {
    const pubSub = new LocalPubSub();
    pubSub.publish(topic, 'early');
    const sessions = pubSub.subscribe(topic);
    const runs = pubSub.subscribe(TOPICS.generationRunFinished);
    pubSub.publish(TOPICS.generationRunFinished, 'run');
    pubSub.publish(topic, 'late');
    expect((await sessions.next()).value).toBe('late');
    expect((await runs.next()).value).toBe('run');
  });

  it('resolves a waiting next() when the subscriber ends, and stops counting it', async () => {
    const pubSub = new LocalPubSub();
    const iterator = pubSub.subscribe(topic);
    expect(pubSub.hasSubscribers(topic)).toBe(true);
    const pending = iterator.next();
    await iterator.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(pubSub.hasSubscribers(topic)).toBe(false);
    pubSub.publish(topic, 'after');
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('ends a subscriber that falls more than MAX_BACKLOG events behind with an error, sparing the others', async () => {
    const pubSub = new LocalPubSub();
    const slow = pubSub.subscribe(topic);
    const keeping = pubSub.subscribe(topic);
    pubSub.publishBatch(topic, Array.from({ length: MAX_BACKLOG }, (_, i) => i));
    for (let i = 0; i < MAX_BACKLOG; i++) await keeping.next();
    pubSub.publish(topic, 'one too many');
    await expect(slow.next()).rejects.toThrow('Too many undelivered events');
    await expect(slow.next()).resolves.toEqual({ value: undefined, done: true });
    expect((await keeping.next()).value).toBe('one too many');
  });
});
