/**
 * The physical baseline for query throughput: Apollo Server 5 on the same express5
 * integration and http server as ours, answering `{ __typename }` with no auth, no
 * context, no database. Whatever our server does beyond this costs throughput.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(apollo));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  process.on('message', (message: { type: string; id?: number }) => {
    if (message.type === 'stats') {
      const memory = process.memoryUsage();
      process.send?.({ type: 'stats', id: message.id, stats: { rss: memory.rss, maxRss: process.resourceUsage().maxRSS * 1024, heapUsed: memory.heapUsed, statements: 0, cpuMicros: process.cpuUsage().user + process.cpuUsage().system } });
    } else if (message.type === 'stop') {
      server.close();
      void apollo.stop().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
