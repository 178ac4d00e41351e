import type { CodegenConfig } from '@graphql-codegen/cli';

const shared = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', LocalDate: 'string', LocalTime: 'string' },
  avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
};

// Typed documents for the operations tests (and clients) send, checked against schema.graphql.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    // The app's operations (browser/app), as typed documents for urql.
    'browser/app/generated/graphql.ts': {
      documents: ['browser/app/operations/**/*.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: shared,
    },
    'test/generated/graphql.ts': {
      documents: ['test/operations/**/*.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: shared,
    },
  },
  hooks: {},
};

export default config;
