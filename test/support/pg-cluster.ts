import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A dedicated PostgreSQL that a test may stop and start (see pg-cluster-process.mjs). */
export interface ControllableCluster {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startControllableCluster(): Promise<ControllableCluster> {
  const child = fork(path.join(__dirname, 'pg-cluster-process.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const reply = (command?: string) =>
    new Promise<string>((resolve, reject) => {
      child.once('message', (message: { ok?: boolean; url?: string; error?: string }) =>
        message.ok ? resolve(message.url!) : reject(new Error(message.error)),
      );
      if (command) child.send(command);
    });
  const url = await reply();
  return {
    url,
    stop: async () => void (await reply('stop')),
    start: async () => void (await reply('start')),
    destroy: async () => {
      if (child.connected) await reply('exit');
      await waitForExit(child);
    },
  };
}

function waitForExit(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}
