import { parseArgs } from 'node:util';
import { TokenIssuer } from '../auth/tokens';
import { loadConfig } from '../config';
import { loadOrCreateSecrets } from '../db/data-dir';
import { openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { connect } from '../db/prisma';
import type { Role } from '../domain/lifecycle';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import { createServices } from '../services';

const USAGE = `Usage:
  npm run admin -- create-user --email E --name N --role OWNER|COACH|MEMBER
  npm run admin -- token --email E`;

const ROLES: readonly Role[] = ['MEMBER', 'COACH', 'OWNER'];

/**
 * Creates users and prints tokens, so the first owner can exist. Same config as the
 * server; with the embedded default it shares a running server's database or starts its own.
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } });
  if (command !== 'create-user' && command !== 'token') return fail(USAGE);
  if (!values.email) return fail(`--email is required\n${USAGE}`);
  if (command === 'create-user' && (!values.name || !ROLES.includes(values.role as Role))) {
    return fail(`--name and --role (${ROLES.join('|')}) are required\n${USAGE}`);
  }

  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const database = await openDatabase(config, log, { shareRunning: true });
  const db = connect(database.url, 2);
  try {
    await migrate(database.url);
    const jwtSecret = config.jwtSecret ?? (await loadOrCreateSecrets(config.dataDir)).jwtSecret;
    const tokens = new TokenIssuer(jwtSecret, config.jwtTtl);
    const services = createServices({ db, config, log, now: () => new Date(), events: { sessionsChanged: () => undefined, generationRunFinished: () => undefined } });
    if (command === 'create-user') {
      const user = await services.users.create({ email: values.email, name: values.name!, role: values.role as Role });
      console.log(JSON.stringify({ id: user.id, email: user.email, role: user.role, token: await tokens.sign(user.id) }));
    } else {
      const user = await services.users.findByEmail(values.email);
      if (!user) return fail(`No user with email ${values.email}`);
      console.log(JSON.stringify({ token: await tokens.sign(user.id) }));
    }
    return 0;
  } catch (error) {
    if (error instanceof AppError) return fail(error.message);
    throw error;
  } finally {
    await db.close();
    await database.stop();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
