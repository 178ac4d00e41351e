import { runCli, withDatabase } from './cli-context';

/** npm run migrate: apply pending prisma/migrations, as the server does at start. */
runCli(() =>
  withDatabase(async ({ applied }) => {
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  }),
);
