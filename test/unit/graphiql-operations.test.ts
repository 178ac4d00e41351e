import { operationsOf } from '../../browser/graphiql/operations';

/** GraphiQL's page decides from the text whether an operation goes over graphql-ws or HTTP. */
describe('the operations of a document, read by the IDE page', () => {
  it.each([
    ['{ me { id } }', [{ type: 'query', name: null }]],
    ['query Me { me { id } }', [{ type: 'query', name: 'Me' }]],
    ['subscription { sessionChanged { kind } }', [{ type: 'subscription', name: null }]],
    ['subscription Live($coachId: ID) { sessionChanged(coachId: $coachId) { kind } }', [{ type: 'subscription', name: 'Live' }]],
    ['query Q($query: String = "subscription {") { me { id } }', [{ type: 'query', name: 'Q' }]],
    ['# subscription S {\nmutation M { generateSessions { totalGenerated } }', [{ type: 'mutation', name: 'M' }]],
    [
      'fragment F on User { id } query A { me { ...F } } subscription B { sessionChanged { kind } }',
      [{ type: 'query', name: 'A' }, { type: 'subscription', name: 'B' }],
    ],
  ])('%s', (query, expected) => {
    expect(operationsOf(query)).toEqual(expected);
  });
});
