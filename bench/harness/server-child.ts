/**
 * A server process for benchmarks: the same startApp() that `npm start` runs, on the
 * DATABASE_URL it is given, driven over IPC (ready / stats / stop). It counts every SQL
 * statement its pg clients send, so a benchmark can read statements per request.
 */
import pg from 'pg';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';

let statements = 0;
const query = pg.Client.prototype.query;
// Every statement Prisma's adapter and the pool send goes through Client#query.
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

export interface ChildStats {
  rss: number;
  maxRss: number;
  heapUsed: number;
  statements: number;
  /** process.cpuUsage() user + system, microseconds since start. */
  cpuMicros: number;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

type Request = { type: 'stats'; id: number } | { type: 'stop' };

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.databaseUrl || !config.jwtSecret) throw new Error('server-child needs DATABASE_URL and JWT_SECRET');
  const app = await startApp({ config, databaseUrl: config.databaseUrl, jwtSecret: config.jwtSecret, log });

  process.on('message', (message: Request) => {
    if (message.type === 'stats') {
      const memory = process.memoryUsage();
      const stats: ChildStats = {
        rss: memory.rss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        heapUsed: memory.heapUsed,
        statements,
        cpuMicros: cpuMicros(),
      };
      process.send?.({ type: 'stats', id: message.id, stats });
    } else if (message.type === 'stop') {
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      app.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  // The parent going away (crash, Ctrl-C) must not leave this process behind.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', port: app.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
