import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/db/embedded-postgres';

/**
 * The quick start as a user lives it: the built server on the embedded database
 * with no configuration, the admin CLI beside it, a restart that keeps data and tokens.
 */
const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
let dataDir: string;
let port: number;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'booking-data-'));
  port = await freePort();
  const { DATABASE_URL: _ignored, JWT_SECRET: _none, ...rest } = process.env;
  env = { ...rest, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development', CRON_ENABLED: 'false' };
}, 120_000);
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy within 30 s');
}

function stopServer(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function admin(...args: string[]): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, ['dist/src/cli/admin.js', ...args], { cwd: root, env });
  return JSON.parse(stdout.trim()) as Record<string, string>;
}

async function me(token: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { email role } }' }),
  });
  return response.json();
}

describe('the server process on the embedded database', () => {
  it('starts with no configuration, makes an owner through the CLI while running, and keeps data and tokens across a restart', async () => {
    let server = await startServer();
    try {
      const owner = await admin('create-user', '--email', 'first.owner@studio.test', '--name', 'First Owner', '--role', 'OWNER');
      expect(owner).toMatchObject({ email: 'first.owner@studio.test', role: 'OWNER' });
      expect(await me(owner.token)).toEqual({ data: { me: { email: 'first.owner@studio.test', role: 'OWNER' } } });

      expect(await stopServer(server)).toBe(0);
      expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);

      server = await startServer();
      expect(await me(owner.token)).toEqual({ data: { me: { email: 'first.owner@studio.test', role: 'OWNER' } } });
    } finally {
      if (server.exitCode === null) await stopServer(server);
    }
  });

  it('lets the CLI issue a token while no server runs, starting the embedded database itself', async () => {
    const { token } = await admin('token', '--email', 'first.owner@studio.test');
    const server = await startServer();
    try {
      expect(await me(token)).toEqual({ data: { me: { email: 'first.owner@studio.test', role: 'OWNER' } } });
    } finally {
      await stopServer(server);
    }
  });

  it('seeds a demo studio (an owner, two coaches, three members), printing a token for each, and can run again', async () => {
    const seed = async () => (await run(process.execPath, ['dist/src/cli/seed.js'], { cwd: root, env })).stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    const first = await seed();
    expect(first.map((u) => u.role).sort()).toEqual(['COACH', 'COACH', 'MEMBER', 'MEMBER', 'MEMBER', 'OWNER']);
    expect((await seed()).map((u) => u.id)).toEqual(first.map((u) => u.id));
    const server = await startServer();
    try {
      const coach = first.find((u) => u.role === 'COACH')!;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${coach.token}` },
        body: JSON.stringify({ query: `{ weeklyAvailability(coachId: "${coach.id}") { dayOfWeek } coachSettings(coachId: "${coach.id}") { defaultRoom { name } } }` }),
      });
      const body = (await response.json()) as { data: { weeklyAvailability: unknown[]; coachSettings: { defaultRoom: { name: string } } } };
      expect(body.data.weeklyAvailability).toHaveLength(5);
      expect(body.data.coachSettings.defaultRoom.name).toMatch(/^Studio/);
    } finally {
      await stopServer(server);
    }
  });

  it('migrates on demand: npm run migrate reports an up-to-date database', async () => {
    const { stdout } = await run(process.execPath, ['dist/src/cli/migrate.js'], { cwd: root, env });
    expect(stdout.trim()).toBe('Database is up to date.');
  });

  it('refuses to start with a bad variable, naming it', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: root, env: { ...env, GENERATION_HORIZON_WEEKS: 'lots' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/GENERATION_HORIZON_WEEKS/);
  });
});

/** Runs a process to its end: exit code and stderr. */
function runToEnd(args: string[], childEnv: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function postmasterPid(): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readyz(): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the server process recovers by itself', () => {
  it('after kill -9 of the server, the admin CLI and the next start stop the orphaned PostgreSQL and work (healthy within 30 s)', async () => {
    const killed = await startServer();
    const orphan = await postmasterPid();
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(isAlive(orphan)).toBe(true); // the embedded PostgreSQL outlived its server

    const { token } = await admin('token', '--email', 'first.owner@studio.test');
    expect(isAlive(orphan)).toBe(false);

    const orphanAgain = await (async () => {
      const again = await startServer();
      const pid = await postmasterPid();
      again.kill('SIGKILL');
      await new Promise((resolve) => again.once('exit', resolve));
      return pid;
    })();
    const server = await startServer(); // throws unless healthy within 30 s
    try {
      expect(isAlive(orphanAgain)).toBe(false);
      expect(await me(token)).toEqual({ data: { me: { email: 'first.owner@studio.test', role: 'OWNER' } } });
    } finally {
      expect(await stopServer(server)).toBe(0);
    }
  });

  it('refuses a second start on a DATA_DIR in use, naming the process, and leaves the first server running', async () => {
    const server = await startServer();
    try {
      const second = await runToEnd(['dist/src/main.js'], { ...env, PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toBe(`DATA_DIR ${dataDir} is in use by PID ${server.pid}`);
      expect(await readyz()).toBe(200);
    } finally {
      expect(await stopServer(server)).toBe(0);
    }
  });

  it('restarts the embedded PostgreSQL when it dies under a running server: /readyz is 200 again, and SIGTERM still stops cleanly', async () => {
    const server = await startServer();
    try {
      const { token } = await admin('token', '--email', 'first.owner@studio.test');
      const first = await postmasterPid();
      process.kill(first, 'SIGKILL');
      await waitFor('a new postmaster', async () => (await postmasterPid().catch(() => first)) !== first && (await readyz()) === 200);
      expect(await me(token)).toEqual({ data: { me: { email: 'first.owner@studio.test', role: 'OWNER' } } });

      // Killed again and stopped at once: no 15 s forced exit (which exits 1), no orphan.
      const second = await postmasterPid();
      process.kill(second, 'SIGKILL');
      expect(await stopServer(server)).toBe(0);
      await waitFor('no postmaster', async () => !isAlive(await postmasterPid().catch(() => second)), 5_000);
    } finally {
      if (server.exitCode === null) await stopServer(server);
    }
  });

  it('stops cleanly on SIGTERM in the middle of its start, leaving no PostgreSQL behind', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: root, env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let output = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('embedded PostgreSQL started')) resolve(); // migrations and the HTTP server still to come
      });
      void exited.then(() => resolve());
    });
    const postmaster = await postmasterPid();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor('the postmaster to stop', () => !isAlive(postmaster), 5_000);
  });

  (process.getuid?.() === 0 ? it : it.skip)(
    'as root in a checkout under a mode-700 folder, says the postgres user cannot reach the binaries, exits 1 and leaves no password file anywhere',
    async () => {
      const closed = await mkdtemp(path.join(os.tmpdir(), 'booking-closed-'));
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'booking-tmp-'));
      const freshDataDir = await mkdtemp(path.join(os.tmpdir(), 'booking-data-'));
      try {
        await chmod(closed, 0o700);
        // The checkout as root would have it under /root: reached through a folder only root may enter.
        await symlink(root, path.join(closed, 'checkout'));
        const result = await runToEnd(
          ['--preserve-symlinks', '--preserve-symlinks-main', path.join(closed, 'checkout', 'dist/src/main.js')],
          { ...env, DATA_DIR: freshDataDir, TMPDIR: tmp, PORT: String(await freePort()) },
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/the 'postgres' user .* cannot run .*\/postgres \(EACCES\)/);
        expect(result.stderr).toMatch(/Move the checkout .* or set DATABASE_URL/);
        expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(await readdir(tmp)).toEqual([]); // no pg-password-* in the temp folder
        expect(await readdir(freshDataDir)).toEqual(['secrets.json']); // the only place the password lives (mode 0600)
      } finally {
        await rm(closed, { recursive: true, force: true });
        await rm(tmp, { recursive: true, force: true });
        await rm(freshDataDir, { recursive: true, force: true });
      }
    },
  );
});
