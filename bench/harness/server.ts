import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TokenIssuer } from '../../src/auth/tokens';
import { projectRoot } from '../../src/project-root';
import type { ChildStats } from './server-child';

export const BENCH_JWT_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
export const BENCH_CRON_SECRET = 'bench-cron-secret-0123456789';
/** The studio's zone: series and weekly hours are wall-clock time here (DST math included). */
export const BENCH_TIMEZONE = 'Europe/Berlin';

export const benchTokens = new TokenIssuer(BENCH_JWT_SECRET, '1d');

export interface ServerProcess {
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** ws://127.0.0.1:PORT/graphql */
  wsUrl: string;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  /** Write a V8 CPU profile into this folder when the process exits (node --cpu-prof; BENCH_CPU_PROF=1 does it for every server). */
  cpuProfileDir?: string;
}

/** Our server (startApp, as `npm start` runs it) in its own process on `databaseUrl`. */
export function startServerProcess(databaseUrl: string, options: ServerOptions = {}): Promise<ServerProcess> {
  return forkServer('server-child.js', {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CRON_ENABLED: 'false',
    CRON_SECRET: BENCH_CRON_SECRET,
    JWT_SECRET: BENCH_JWT_SECRET,
    STUDIO_TIMEZONE: BENCH_TIMEZONE,
    DATABASE_URL: databaseUrl,
    ...options.env,
  }, options.cpuProfileDir ?? (process.env.BENCH_CPU_PROF ? path.join(projectRoot(), 'bench/.tmp/profiles') : undefined));
}

/**
 * A bare Apollo Server answering `{ __typename }`: the throughput baseline. With `fixture`
 * (a JSON file of { sdl, data }), it serves that schema with Query fields answered from
 * `data` in memory instead (see bare-apollo-child.ts).
 */
export function startBareApollo(fixture?: string): Promise<ServerProcess> {
  return forkServer('bare-apollo-child.js', { NODE_ENV: 'production', ...(fixture ? { BARE_FIXTURE: fixture } : {}) });
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function forkServer(script: string, env: Record<string, string>, cpuProfileDir?: string): Promise<ServerProcess> {
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  const child = fork(path.join(__dirname, script), [], {
    env: { ...inherited, ...env },
    execArgv: cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port as number);
      }
    });
  });

  let nextId = 0;
  const stats = () =>
    new Promise<ChildStats>((resolve, reject) => {
      const id = (nextId += 1);
      const onMessage = (message: { type: string; id?: number; stats?: ChildStats }) => {
        if (message.type === 'stats' && message.id === id) {
          child.off('message', onMessage);
          resolve(message.stats as ChildStats);
        }
      };
      child.on('message', onMessage);
      if (!child.send({ type: 'stats', id })) reject(new Error('server process is gone'));
    });

  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid as number,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    stats,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.send({ type: 'stop' });
      })),
  };
}
