import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { clearRunningServer, loadOrCreateSecrets, writeRunningServer } from './db/data-dir';
import { openDatabase } from './db/database';
import { EmbeddedPostgresError } from './db/embedded-postgres';
import { MigrationError } from './db/migrate';
import { createLogger } from './logger';

/** npm start: config -> database -> migrations -> server, and a clean stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  let shutdown: ((signal: string, exitCode?: number) => Promise<void>) | undefined;
  // A signal during the start is kept and acted on once there is something to stop:
  // dying at once would leave the embedded PostgreSQL running.
  let early: string | undefined;
  const onSignal = (signal: string) => (shutdown ? void shutdown(signal) : (early ??= signal));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  let database;
  try {
    // A postmaster that cannot be restarted ends the server (exit 1) so a process manager can act.
    database = await openDatabase(config, log, { onGiveUp: () => void (shutdown ? shutdown('postgres-gone', 1) : process.exit(1)) });
  } catch (error) {
    if (!(error instanceof EmbeddedPostgresError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  if (early) {
    await database.stop();
    process.exit(0);
  }
  const jwtSecret = config.jwtSecret ?? (await loadOrCreateSecrets(config.dataDir)).jwtSecret;

  let app;
  try {
    app = await startApp({ config, databaseUrl: database.url, jwtSecret, log });
  } catch (error) {
    log.fatal({ err: error }, error instanceof MigrationError ? error.message : 'start failed');
    await database.stop();
    process.exit(1);
  }
  if (database.embedded) await writeRunningServer(config.dataDir, { pid: process.pid, databaseUrl: database.url });

  let stopping = false;
  shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.stop();
      if (database.embedded) await clearRunningServer(config.dataDir);
      await database.stop();
      log.info('stopped');
      process.exit(exitCode);
    } catch (error) {
      log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  if (early) await shutdown(early);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : `start failed: ${String(error)}`);
  process.exit(1);
});
