import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the server keeps beside the embedded database in DATA_DIR:
 *   secrets.json  generated once: the database password and a JWT secret, so tokens survive restarts
 *   server.json   while a server runs: how to reach its database (the admin CLI reads it)
 *   pg/           the PostgreSQL cluster
 */
export interface LocalSecrets {
  postgresPassword: string;
  jwtSecret: string;
}

export interface RunningServerInfo {
  pid: number;
  databaseUrl: string;
}

export const clusterDir = (dataDir: string) => path.resolve(dataDir, 'pg');

export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.resolve(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
  await mkdir(path.resolve(dataDir), { recursive: true });
  const secrets: LocalSecrets = {
    postgresPassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(48).toString('base64url'),
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return secrets;
}

const serverFile = (dataDir: string) => path.resolve(dataDir, 'server.json');

export async function writeRunningServer(dataDir: string, info: RunningServerInfo): Promise<void> {
  await writeFile(serverFile(dataDir), JSON.stringify(info), { mode: 0o600 });
}

export async function clearRunningServer(dataDir: string): Promise<void> {
  await rm(serverFile(dataDir), { force: true });
}

/** The running server's database, if a live process left one. */
export async function readRunningServer(dataDir: string): Promise<RunningServerInfo | null> {
  try {
    const info = JSON.parse(await readFile(serverFile(dataDir), 'utf8')) as RunningServerInfo;
    process.kill(info.pid, 0); // throws if no such process
    return info;
  } catch {
    return null;
  }
}
