import { mkdtemp, cp, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase(); // already migrated once
});
afterEach(() => db.drop());

describe('the migration runner', () => {
  it("records every migration in _prisma_migrations with Prisma's sha256 checksum", async () => {
    const migrations = await readMigrations();
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(migrations.map((m) => [m.name, m.checksum, 1]));
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    expect(migrations[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(db.url)).toEqual([]);
  });

  it('lets instances starting together apply each migration once', async () => {
    const fresh = await createTestDatabase();
    await fresh.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const results = await Promise.all([migrate(fresh.url), migrate(fresh.url), migrate(fresh.url)]);
    const applied = results.flat();
    expect(applied.sort()).toEqual((await readMigrations()).map((m) => m.name));
    await fresh.drop();
  });

  it('stops with a message naming a migration whose file changed after it was applied', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    await appendFile(path.join(dir, first.name, 'migration.sql'), '\n-- edited\n');
    await expect(migrate(db.url, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(db.url, dir)).rejects.toThrow(new RegExp(`${first.name} was changed after it was applied`));
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const broken = path.join(dir, '99999999999999_broken');
    await cp(path.join(dir, (await readMigrations(dir))[0].name), broken, { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n');
    await expect(migrate(db.url, dir)).rejects.toThrow(/99999999999999_broken failed/);
    expect(await db.query("SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);
    expect(await db.query("SELECT 1 FROM _prisma_migrations WHERE migration_name = '99999999999999_broken'")).toEqual([]);
  });

  it('creates the exclusion constraints that keep sessions of a coach or a member from overlapping', async () => {
    const rows = await db.query<{ conname: string }>(
      "SELECT conname FROM pg_constraint WHERE contype = 'x' AND conrelid = 'training_sessions'::regclass ORDER BY conname",
    );
    expect(rows.map((r) => r.conname)).toEqual(['training_sessions_coach_no_overlap', 'training_sessions_member_no_overlap']);
  });
});
