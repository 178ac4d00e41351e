import { Metrics } from '../metrics/metrics';
import { parseArgs } from 'node:util';
import type { Role } from '../domain/lifecycle';
import { AppError } from '../errors';
import { createServices } from '../services';
import type { EventPublisher } from '../runtime/event-publisher';
import { runCli, withDatabase } from './cli-context';

const USAGE = `Usage:
  npm run admin -- create-user --email E --name N --role OWNER|COACH|MEMBER
  npm run admin -- token --email E`;

const ROLES: readonly Role[] = ['MEMBER', 'COACH', 'OWNER'];
/** Users are not sessions: nothing to tell subscribers. */
const NO_EVENTS: EventPublisher = { sessionsChanged: () => undefined, generationRunFinished: () => undefined, notificationsCreated: () => undefined, signedOutEverywhere: () => undefined, classesChanged: () => undefined };

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

  return withDatabase(async ({ config, db, tokens, sealer, log }) => {
    const services = createServices({ db, config, log, now: () => new Date(), events: NO_EVENTS, metrics: new Metrics({ defaultMetrics: false }), sealer });
    try {
      if (command === 'create-user') {
        const user = await services.users.create({ email: values.email!, name: values.name!, role: values.role as Role });
        console.log(JSON.stringify({ id: user.id, email: user.email, role: user.role, token: await tokens.sign(user.id) }));
      } else {
        const user = await services.users.findByEmail(values.email!);
        if (!user) return fail(`No user with email ${values.email}`);
        console.log(JSON.stringify({ token: await tokens.sign(user.id) }));
      }
      return 0;
    } catch (error) {
      if (error instanceof AppError) return fail(error.message);
      throw error;
    }
  });
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

runCli(() => main(process.argv.slice(2)));
