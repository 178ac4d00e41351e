import { serverAudits } from 'graphql-http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The GraphQL-over-HTTP spec's conformance audit (graphql-http), run against the real
 * server: every MUST passes. Not met by design: the MAYs about GET requests without a
 * preflight header (Apollo's CSRF prevention refuses them) and the SHOULDs asking for
 * 200 on parse/validation/coercion failures (Apollo answers 400).
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('GraphQL over HTTP conformance', () => {
  const audits = serverAudits({ url: () => server.url, fetchFn: fetch });

  it.each(audits.filter((audit) => audit.name.startsWith('MUST')).map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect({ status: result.status, reason: 'reason' in result ? result.reason : undefined }).toEqual({ status: 'ok', reason: undefined });
  });

});
