// The layers of src/ (README "Tests"): each may import only what is below it.
//   domain <- db, auth, config, logger, errors, generated, runtime
//          <- services (and outbox, notifications, billing, webhooks)
//          <- graphql <- http, events <- app, main, cli, jobs
// `npm run lint:layers` (part of `npm test`) fails on an upward import or a new cycle.

const LOW = '^src/(db|auth|runtime|generated)/|^src/(config|logger|errors|project-root)\\.ts$';
const SERVICES = '^src/(services|outbox|notifications|billing|webhooks)/';
const TOP = '^src/(app|main)\\.ts$|^src/(cli|jobs)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'domain/ holds rules with no I/O: nothing of ours but domain/ itself.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'low-not-services-or-above',
      comment: 'db, auth, config, logger, errors, generated and runtime sit under the services.',
      severity: 'error',
      from: { path: LOW },
      to: { path: `${SERVICES}|^src/(graphql|http|events|metrics)/|${TOP}` },
    },
    {
      name: 'services-not-graphql-or-above',
      comment: 'services (and outbox, notifications, billing, webhooks) know nothing of the API or the process around them.',
      severity: 'error',
      from: { path: SERVICES },
      to: { path: `^src/(graphql|http|events)/|${TOP}` },
    },
    {
      name: 'graphql-not-http-events-or-above',
      comment: 'the schema and its resolvers are served by http/ and fed by events/, not the other way.',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: `^src/(http|events)/|${TOP}` },
    },
    {
      name: 'http-events-not-app',
      comment: 'only the entry points (app, main, cli, jobs) wire everything together.',
      severity: 'error',
      from: { path: '^src/(http|events)/' },
      to: { path: TOP },
    },
    {
      name: 'no-cycles',
      comment: 'a cycle makes two modules one layer; none exist today.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'imports-resolve',
      comment: 'an import the cruiser cannot resolve would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The generated Prisma client is large and imports only itself.
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    // tsconfig's nodenext resolution maps the `.js` specifiers of our imports to the .ts files.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
  },
};
