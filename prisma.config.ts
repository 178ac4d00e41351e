import { defineConfig } from 'prisma/config';

// The url matters only where Prisma's own engines run (prisma migrate status/deploy);
// the server applies prisma/migrations itself (src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/booking' },
});
