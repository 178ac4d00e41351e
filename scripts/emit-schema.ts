import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { createSchema } from '../src/graphql/schema';
import { projectRoot } from '../src/project-root';

/** Writes schema.graphql from the code's schema (npm run schema); the schema test checks it is current. */
export async function emittedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
}

if (require.main === module) {
  emittedSchema()
    .then((sdl) => writeFileSync(path.join(projectRoot(), 'schema.graphql'), sdl))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
