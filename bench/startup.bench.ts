import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../src/db/embedded-postgres';
import { projectRoot } from '../src/project-root';
import type { Benchmark } from './harness/bench';
import { median, ms, round, sleep } from './harness/stats';

/**
 * Startup: from spawning `node dist/src/main.js` (what `npm start` runs after its build)
 * to the first 200 from /healthz, on the embedded database. First a first-ever start
 * (initdb into an empty DATA_DIR), then RESTARTS starts on the existing cluster.
 * Baseline: a bare `node` http server answering /healthz, spawned the same way.
 */
const RESTARTS = 5;
const NPM_STARTS = 3;
const root = projectRoot();

interface Start {
  ms: number;
  postgresMs: number | null;
}

export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'Startup: `node dist/src/main.js` to /healthz 200 (embedded PostgreSQL)',
  async run(log) {
    // The build `npm start` runs (package.json): once to be current, then timed with nothing to compile.
    const tsc = [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'];
    await exec(process.execPath, tsc);
    const buildStarted = performance.now();
    await exec(process.execPath, tsc);
    const buildMs = performance.now() - buildStarted;
    log(`build with nothing to compile (tsc -b tsconfig.build.json) ${ms(buildMs)}`);

    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'booking-bench-startup-'));
    try {
      const port = await freePort();
      const { DATABASE_URL: _db, JWT_SECRET: _jwt, ...inherited } = process.env;
      const env = { ...inherited, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'development', CRON_ENABLED: 'false' };

      const first = await timeStart(['dist/src/main.js'], env, port);
      log(`first-ever start (initdb) ${ms(first.ms)}`);
      const warm: Start[] = [];
      for (let i = 0; i < RESTARTS; i += 1) {
        warm.push(await timeStart(['dist/src/main.js'], env, port));
        log(`start on existing database #${i + 1}: ${ms(warm[i].ms)} (PostgreSQL ${warm[i].postgresMs} ms)`);
      }
      // `npm start` itself: npm, its build step (nothing to compile), then the same start.
      const npmStarts: Start[] = [];
      for (let i = 0; i < NPM_STARTS; i += 1) {
        npmStarts.push(await timeStart(['start', '--silent'], env, port, npmCli()));
        log(`npm start #${i + 1}: ${ms(npmStarts[i].ms)}`);
      }
      const bare: Start[] = [];
      const script = `require('http').createServer((q, s) => s.end('{"status":"ok"}')).listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
      for (let i = 0; i < RESTARTS; i += 1) bare.push(await timeStart(['-e', script], env, port));

      const warmMs = warm.map((s) => s.ms);
      const startMedian = median(warmMs);
      const bareMedian = median(bare.map((s) => s.ms));
      const pgMedian = median(warm.map((s) => s.postgresMs ?? Number.NaN));
      const npmMedian = median(npmStarts.map((s) => s.ms));
      return {
        rows: [
          {
            metric: `Start on an existing database (median of ${RESTARTS}; min-max ${ms(Math.min(...warmMs))}-${ms(Math.max(...warmMs))})`,
            value: ms(startMedian),
            baseline: `${ms(bareMedian)} (bare node http server)`,
            ratio: `${round(startMedian / bareMedian, 1)}x`,
            goal: '< 3 s',
            met: startMedian < 3000,
          },
          { metric: '... of which embedded PostgreSQL start (server log)', value: ms(pgMedian) },
          { metric: 'First-ever start, including initdb', value: ms(first.ms), ...(first.postgresMs !== null ? { baseline: `PostgreSQL initdb + start ${ms(first.postgresMs)}` } : {}) },
          {
            metric: `\`npm start\` to /healthz 200, existing database (median of ${NPM_STARTS}): npm + build + start`,
            value: ms(npmMedian),
            baseline: ms(startMedian),
            goal: '< 3 s',
            met: npmMedian < 3000,
          },
          { metric: '... its build step alone, nothing to compile: tsc -b tsconfig.build.json', value: ms(buildMs) },
        ],
        notes: [
          'Measured from spawn to the first 200 of GET /healthz (polled every 5 ms); the process is stopped with SIGTERM between starts.',
        ],
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

/** npm's own CLI script, run by this node (no shell, no PATH lookup). */
function npmCli(): string[] {
  return [process.execPath, path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js')];
}

/**
 * Spawns `node args` (or `command args`), polls /healthz until 200, reads the PostgreSQL start time
 * from the log, stops the process group (npm start runs node under a shell).
 */
async function timeStart(args: string[], env: NodeJS.ProcessEnv, port: number, command: string[] = [process.execPath]): Promise<Start> {
  const started = performance.now();
  const child = spawn(command[0], [...command.slice(1), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let postgresMs: number | null = null;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const match = /"ms":(\d+)[^\n]*embedded PostgreSQL started/.exec(output);
    if (match) postgresMs = Number(match[1]);
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = started + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
      if (performance.now() > deadline) throw new Error(`no /healthz within 60 s:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await sleep(5);
    }
    const elapsed = performance.now() - started;
    await sleep(50); // let the last log line arrive
    return { ms: elapsed, postgresMs };
  } finally {
    const group = -(child.pid as number);
    signal(group, 'SIGTERM');
    await Promise.race([exited, sleep(20_000).then(() => signal(group, 'SIGKILL'))]);
    await exited;
    await waitUntilStopped(port, env.DATA_DIR); // npm exits before its server has stopped the database
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The next start must not find the previous server, or its PostgreSQL, still shutting down. */
async function waitUntilStopped(port: number, dataDir: string | undefined): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const serving = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
    const postgres = dataDir ? existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) : false;
    if (!serving && !postgres) return;
    await sleep(50);
  }
}

function exec(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}
