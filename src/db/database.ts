import type { Config } from '../config';
import type { Logger } from '../logger';
import { clusterDir, loadOrCreateSecrets, readRunningServer } from './data-dir';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface Database {
  url: string;
  /** True when this process started the embedded PostgreSQL (and must stop it). */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR.
 * `shareRunning` (the admin CLI) uses the database of a server already running on DATA_DIR.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  options: { shareRunning?: boolean; onGiveUp?: (error: Error) => void } = {},
): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  if (options.shareRunning) {
    const running = await readRunningServer(config.dataDir);
    if (running) return { url: running.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const secrets = await loadOrCreateSecrets(config.dataDir);
  const started = Date.now();
  const pg = await startEmbeddedPostgres({
    dir: clusterDir(config.dataDir),
    password: secrets.postgresPassword,
    onLog: (message) => log.debug({ postgres: message.trim() }),
    onWarn: (message) => log.warn(message),
    onCrash: ({ code, signal, attempt, delayMs, error }) =>
      log.error({ code, signal, attempt, delayMs, error }, attempt === 1 ? 'embedded PostgreSQL exited unexpectedly; restarting' : 'embedded PostgreSQL restart failed; retrying'),
    onRecovered: ({ attempts }) => log.warn({ attempts }, 'embedded PostgreSQL restarted'),
    onGiveUp: (error) => {
      log.fatal({ err: error }, error.message);
      options.onGiveUp?.(error);
    },
  });
  log.info({ ms: Date.now() - started, dataDir: config.dataDir }, 'embedded PostgreSQL started');
  return { url: pg.url, embedded: true, stop: pg.stop };
}
