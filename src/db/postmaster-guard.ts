import { execFile } from 'node:child_process';
import { readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from './postgres-binaries';

/**
 * What may already run on a cluster directory before we start PostgreSQL on it, read from
 * its postmaster.pid (line 1: the PID, line 2: the data directory):
 *   - nothing (no file, or a PID that is gone: PostgreSQL itself ignores a stale file);
 *   - a postgres of this directory whose parent is a live Node process (or the PID in
 *     server.json): a server or CLI using this DATA_DIR -> refuse, naming that process;
 *   - a postgres of this directory whose parent is gone (re-parented to init or a
 *     subreaper): left behind by a server killed with SIGKILL -> stop it.
 */
export class DataDirInUseError extends EmbeddedPostgresError {
  override name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`DATA_DIR ${dataDir} is in use by PID ${pid}`);
  }
}

const exec = promisify(execFile);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line and parent of a process (Linux: /proc; elsewhere: ps), or null when it is gone. */
async function processInfo(pid: number): Promise<{ argv: string[]; ppid: number; exe: string } | null> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const exe = await readlink(`/proc/${pid}/exe`).catch(() => argv[0] ?? '');
    return { argv, ppid, exe };
  } catch {
    try {
      const { stdout } = await exec('ps', ['-o', 'ppid=', '-o', 'command=', '-p', String(pid)]);
      const match = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim());
      if (!match) return null;
      const argv = match[2].split(/\s+/);
      return { argv, ppid: Number(match[1]), exe: argv[0] ?? '' };
    } catch {
      return null;
    }
  }
}

/** Is this the postmaster of `clusterDir`: a postgres program started with `-D clusterDir`? */
function isPostmasterOf(info: { argv: string[]; exe: string }, clusterDir: string): boolean {
  const program = path.basename(info.argv[0] ?? '');
  const dashD = info.argv.indexOf('-D');
  const dir = dashD >= 0 ? info.argv[dashD + 1] : undefined;
  return (program === 'postgres' || path.basename(info.exe) === 'postgres') && dir !== undefined && path.resolve(dir) === clusterDir;
}

function isNode(info: { argv: string[]; exe: string }): boolean {
  return /^node(\.exe)?$|^nodejs$/.test(path.basename(info.exe)) || /^node(js)?$/.test(path.basename(info.argv[0] ?? ''));
}

/** The PID a running server recorded in DATA_DIR/server.json, if any. */
async function serverPid(dataDir: string): Promise<number | null> {
  try {
    return (JSON.parse(await readFile(path.join(dataDir, 'server.json'), 'utf8')) as { pid?: number }).pid ?? null;
  } catch {
    return null;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !alive(pid);
}

/**
 * Makes `clusterDir` free to start on: throws DataDirInUseError when a live process uses it,
 * stops an orphaned postmaster of ours (fast shutdown, then immediate, then SIGKILL), and
 * removes a postmaster.pid whose PID now belongs to an unrelated process.
 */
export async function claimClusterDir(clusterDir: string, dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return; // no lock file: nothing runs here
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const postmaster = await processInfo(pid);
  if (postmaster === null) return;
  if (!isPostmasterOf(postmaster, clusterDir)) {
    // The PID was reused by something else after an unclean stop; PostgreSQL would refuse the file.
    log(`removing stale ${pidFile} (PID ${pid} is not a postgres of this directory)`);
    await rm(pidFile, { force: true });
    return;
  }
  const parent = postmaster.ppid > 1 ? await processInfo(postmaster.ppid) : null;
  if (parent !== null && postmaster.ppid !== process.pid && (isNode(parent) || (await serverPid(dataDir)) === postmaster.ppid)) {
    throw new DataDirInUseError(dataDir, postmaster.ppid);
  }

  log(`stopping orphaned PostgreSQL (PID ${pid}) left on ${clusterDir} by a process that died`);
  for (const [signal, ms] of [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone already
    }
    if (await waitGone(pid, ms)) return;
  }
  throw new EmbeddedPostgresError(`An orphaned PostgreSQL (PID ${pid}) holds ${clusterDir} and does not stop`);
}
