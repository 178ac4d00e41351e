import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { LocalPubSub, TOPICS } from '../../src/graphql/pubsub';
import { sharedSubscribe } from '../../src/http/shared-subscribe';

/** A schema like ours in miniature: a filtered topic, and a field that counts its executions. */
function setup() {
  const pubSub = new LocalPubSub();
  const executions = { count: 0 };
  const Event = new GraphQLObjectType({
    name: 'Event',
    fields: {
      coachId: { type: GraphQLString },
      seq: { type: GraphQLInt, resolve: (event: { seq: number }) => (executions.count++, event.seq) },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        changed: {
          type: Event,
          args: { coachId: { type: GraphQLString } },
          // The per-subscriber filter, as our sessionChanged hands it to the pub/sub.
          subscribe: (_root, args: { coachId?: string }) =>
            pubSub.subscribe(TOPICS.sessionChanged, (event: { coachId: string }) => !args.coachId || event.coachId === args.coachId),
          resolve: (event: unknown) => event,
        },
      },
    }),
  });
  const subscribe = async (query: string, variables: Record<string, unknown> = {}, role = 'OWNER') => {
    const stream = await sharedSubscribe({ schema, document: parse(query), variableValues: variables, contextValue: { actor: { id: role, role } } });
    if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream.errors));
    return stream;
  };
  const publish = (...events: object[]) => pubSub.publishBatch(TOPICS.sessionChanged, events);
  return { subscribe, publish, executions, pubSub };
}

const QUERY = 'subscription ($coachId: String) { changed(coachId: $coachId) { coachId seq } }';

async function take(stream: AsyncIterableIterator<ExecutionResult>): Promise<unknown> {
  return (await stream.next()).value?.data;
}

describe('sharedSubscribe', () => {
  it('executes an event once for all subscribers of the same operation and role', async () => {
    const { subscribe, publish, executions } = setup();
    const streams = await Promise.all(Array.from({ length: 5 }, () => subscribe(QUERY)));
    publish({ coachId: 'a', seq: 1 });
    for (const stream of streams) expect(await take(stream)).toEqual({ changed: { coachId: 'a', seq: 1 } });
    expect(executions.count).toBe(1);
  });

  it('executes again for other variables, another role or another document', async () => {
    const { subscribe, publish, executions } = setup();
    const streams = [
      await subscribe(QUERY),
      await subscribe(QUERY, { coachId: 'a' }),
      await subscribe(QUERY, {}, 'COACH'),
      await subscribe('subscription { changed { seq } }'),
    ];
    publish({ coachId: 'a', seq: 7 });
    for (const stream of streams) await take(stream);
    expect(executions.count).toBe(4);
  });

  it("still applies each subscriber's filter", async () => {
    const { subscribe, publish } = setup();
    const [forA, forB] = [await subscribe(QUERY, { coachId: 'a' }), await subscribe(QUERY, { coachId: 'b' })];
    publish({ coachId: 'a', seq: 1 }, { coachId: 'b', seq: 2 });
    expect(await take(forA)).toEqual({ changed: { coachId: 'a', seq: 1 } });
    expect(await take(forB)).toEqual({ changed: { coachId: 'b', seq: 2 } });
  });

  it('ends the source when the client completes, also while waiting for an event', async () => {
    const { subscribe, pubSub } = setup();
    const stream = await subscribe(QUERY);
    const pending = stream.next();
    await stream.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(pubSub.hasSubscribers(TOPICS.sessionChanged)).toBe(false);
  });

  it('answers errors raised before the stream exists as a result, not a stream', async () => {
    const { subscribe } = setup();
    await expect(subscribe('subscription { nope }')).rejects.toThrow('The subscription field \\"nope\\" is not defined.');
  });
});
