import { spawn } from 'node:child_process';
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
const root = projectRoot();

interface Start {
  ms: number;
  postgresMs: number | null;
}

export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'Startup: `node dist/src/main.js` to /healthz 200 (embedded PostgreSQL)',
  async run(log) {
    const buildStarted = performance.now();
    await exec(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
    const buildMs = performance.now() - buildStarted;
    log(`build (tsc -p tsconfig.build.json) ${ms(buildMs)}`);

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
      const bare: Start[] = [];
      const script = `require('http').createServer((q, s) => s.end('{"status":"ok"}')).listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
      for (let i = 0; i < RESTARTS; i += 1) bare.push(await timeStart(['-e', script], env, port));

      const warmMs = warm.map((s) => s.ms);
      const startMedian = median(warmMs);
      const bareMedian = median(bare.map((s) => s.ms));
      const pgMedian = median(warm.map((s) => s.postgresMs ?? Number.NaN));
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
          { metric: '`npm start` also compiles first: tsc -p tsconfig.build.json, nothing changed', value: ms(buildMs) },
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

/** Spawns node with `args`, polls /healthz until 200, reads the PostgreSQL start time from the log, stops it. */
async function timeStart(args: string[], env: NodeJS.ProcessEnv, port: number): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
    await exited;
  }
}

function exec(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}
