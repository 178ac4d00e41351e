import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { connect, type Db } from '../../src/db/prisma';
import { inTransaction } from '../../src/db/transaction';
import { MIGRATIONS_DIR } from '../../src/db/migrate';
import { enqueueMany, OUTBOX_WAKE_CHANNEL } from '../../src/outbox/outbox';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The outbox's write path lives in src/outbox/outbox.ts, except the webhook trigger SQL of
 * an applied migration (never edited): it hard-codes the wake channel's name. These checks
 * keep that SQL and OUTBOX_WAKE_CHANNEL from drifting apart, and new writes in one place.
 */

let db: TestDatabase;
let client: Db;
beforeAll(async () => {
  db = await createTestDatabase();
  client = connect(db.url, 2);
});
afterAll(async () => {
  await client.close();
  await db.drop();
});

/** The first argument of every pg_notify call in a piece of SQL (comments removed). */
function notifiedChannels(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '');
  return [...code.matchAll(/pg_notify\s*\(\s*([^,]+?)\s*,/gi), ...code.matchAll(/\bNOTIFY\s+("?[\w$]+"?)/gi)].map((m) => m[1]);
}

const wakeLiteral = `'${OUTBOX_WAKE_CHANNEL}'`;

describe('the outbox wake channel', () => {
  it('is the only channel any function of the migrated database notifies', async () => {
    const functions = await db.query<{ name: string; def: string }>(
      `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS def
         FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
        WHERE ns.nspname = 'public' AND p.prokind = 'f'`,
    );
    const found = functions.flatMap((f) => notifiedChannels(f.def).map((channel) => ({ function: f.name, channel })));
    // Not vacuous: the webhook trigger function wakes the workers.
    expect(found.map((f) => f.function)).toContain('webhook_enqueue');
    expect(found.filter((f) => f.channel !== wakeLiteral)).toEqual([]);
  });

  it('is the only channel any migration notifies', async () => {
    const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    const found: { migration: string; channel: string }[] = [];
    for (const name of names) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
      for (const channel of notifiedChannels(sql)) found.push({ migration: name, channel });
    }
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.filter((f) => f.channel !== wakeLiteral)).toEqual([]);
  });

  it('is notified once by a batch that wrote rows, not at all by one that wrote none', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const wakes: string[] = [];
    listener.on('notification', (n) => wakes.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_WAKE_CHANNEL}; LISTEN outbox_wake_probe`);
    try {
      const entry = (key: string) => ({ channel: 'CHARGE_NOTICES' as const, payload: { chargeIds: [] }, dedupeKey: key });
      const first = await inTransaction(client.prisma, (tx) => enqueueMany(tx, [entry('wake:1'), entry('wake:2'), entry('wake:1')]));
      expect(first.map((r) => r.dedupeKey).sort()).toEqual(['wake:1', 'wake:2']);
      const again = await inTransaction(client.prisma, (tx) => enqueueMany(tx, [entry('wake:2')]));
      expect(again).toEqual([]);
      // Notifications arrive in commit order: once the probe is in, every earlier wake is too.
      await db.query("SELECT pg_notify('outbox_wake_probe', '')");
      const deadline = Date.now() + 5_000;
      while (!wakes.includes('outbox_wake_probe') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(wakes).toEqual([OUTBOX_WAKE_CHANNEL, 'outbox_wake_probe']);
      const rows = await db.query<{ dedupe_key: string; id: string }>("SELECT dedupe_key, id::text FROM outbox_messages WHERE dedupe_key LIKE 'wake:%' ORDER BY dedupe_key");
      expect(rows.map((r) => r.dedupe_key)).toEqual(['wake:1', 'wake:2']);
      expect(first.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    } finally {
      await listener.end();
    }
  });
});

describe('writes to outbox_messages in the source', () => {
  it('insert only through src/outbox/outbox.ts', async () => {
    const root = path.join(__dirname, '../../src');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.startsWith('generated'));
    const inserting: string[] = [];
    for (const f of files) if (/INSERT\s+INTO\s+"?outbox_messages/i.test(await readFile(path.join(root, f), 'utf8'))) inserting.push(f);
    expect(inserting).toEqual([path.join('outbox', 'outbox.ts')]);
  });
});
