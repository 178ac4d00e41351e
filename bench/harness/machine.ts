import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  postgres: string;
  /** 1-minute load average when the benchmark started: above ~0.5 per core, numbers are noisy. */
  loadAverage: number;
}

/** What the numbers were measured on. */
export function describeMachine(postgresVersion: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresVersion.split(/ on | \(/)[0], // "PostgreSQL 18.1"
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
