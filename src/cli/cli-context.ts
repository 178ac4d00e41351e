import { Sealer } from '../auth/sealing';
import { TokenIssuer } from '../auth/tokens';
import { loadConfig, type Config } from '../config';
import { loadOrCreateSecrets } from '../db/data-dir';
import { openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { connect, type Db } from '../db/prisma';
import { createLogger, type Logger } from '../logger';

export interface CliContext {
  config: Config;
  db: Db;
  tokens: TokenIssuer;
  /** The server's sealer (same key), for services that keep secrets. */
  sealer: Sealer;
  log: Logger;
  /** Migrations this run applied (none when the database was current). */
  applied: string[];
}

/**
 * What every command-line tool starts from: the server's config, its database (a running
 * server's embedded one, or the embedded one started for the command, or DATABASE_URL),
 * migrated, and the same token issuer as the server. Everything is closed afterwards.
 */
export async function withDatabase<T>(work: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', 'stderr');
  const database = await openDatabase(config, log, { shareRunning: true });
  try {
    const applied = await migrate(database.url);
    const db = connect(database.url, 2);
    try {
      const jwtSecret = config.jwtSecret ?? (await loadOrCreateSecrets(config.dataDir)).jwtSecret;
      return await work({ config, db, tokens: new TokenIssuer(jwtSecret, config.jwtTtl), sealer: new Sealer(jwtSecret), log, applied });
    } finally {
      await db.close();
    }
  } finally {
    await database.stop();
  }
}

/** Runs a command's main, turning its result or failure into the process's exit code. */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
