/**
 * The physical baselines for query throughput: Apollo Server 5 on the same express5
 * integration and http server as ours, with no auth, no context, no database.
 *   - default: answers `{ __typename }` (the cost of HTTP + Apollo's request pipeline);
 *   - BARE_FIXTURE=file.json ({ sdl, data }): serves our own schema (sdl) with every Query
 *     field answered from `data` in memory by graphql-js's default resolvers, so the same
 *     query gets the same response bytes as from our server: the cost of executing and
 *     serialising that response shape, without anything our server does to produce it.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

function apolloServer(): ApolloServer {
  const fixture = process.env.BARE_FIXTURE;
  if (!fixture) return new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });
  const { sdl, data } = JSON.parse(readFileSync(fixture, 'utf8')) as { sdl: string; data: Record<string, unknown> };
  const Query = Object.fromEntries(Object.entries(data).map(([field, value]) => [field, () => value]));
  return new ApolloServer({ typeDefs: sdl, resolvers: { Query } });
}

async function main(): Promise<void> {
  const apollo = apolloServer();
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
      const cpu = process.cpuUsage();
      process.send?.({ type: 'stats', id: message.id, stats: { rss: memory.rss, maxRss: process.resourceUsage().maxRSS * 1024, heapUsed: memory.heapUsed, statements: 0, cpuMicros: cpu.user + cpu.system } });
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
