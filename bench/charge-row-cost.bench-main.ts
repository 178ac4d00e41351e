/**
 * What PostgreSQL charges for a charge row (issue 13): the nightly sweep's INSERT of 10,000
 * SESSION lines, timed as the schema is and with parts of it removed, next to the UPDATE that
 * completes the same 10,000 sessions (the larger part of the sweep without billing).
 *
 * Each round is one transaction: the sessions are completed (timed), the charges inserted the
 * way the ledger's statement does (ON CONFLICT DO NOTHING, RETURNING the rows; timed), with the
 * variant's DDL applied first; then ROLLBACK and VACUUM, so every round starts alike. Rounds
 * cycle through the variants; the figure is each variant's median.
 *
 *   npm run bench:build && node bench/.tmp/build/bench/charge-row-cost.bench-main.js
 */
import { performance } from 'node:perf_hooks';
import { createStudio } from './harness/data';
import { arrangePastSessions } from './harness/past-sessions';
import { startBenchPostgres, withClient } from './harness/postgres';
import { median } from './harness/stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const SESSIONS = 10_000;

const FOREIGN_KEYS = ['member_id', 'session_id', 'credit_pack_id', 'created_by', 'reverses_id'].map((column) => `ALTER TABLE charges DROP CONSTRAINT charges_${column}_fkey`);
const READ_INDEXES = ['charges_member_id_created_at_idx', 'charges_created_at_idx', 'charges_reverses_id_key'].map((index) => `DROP INDEX ${index}`);
const WEBHOOK_TRIGGER = 'DROP TRIGGER charges_webhooks_insert ON charges';

const VARIANTS: [string, string[]][] = [
  ['as migrated', []],
  ['without the member foreign key', [FOREIGN_KEYS[0]]],
  ['without the session foreign key', [FOREIGN_KEYS[1]]],
  ['without any foreign key', FOREIGN_KEYS],
  ['without the statement, export and reversal indexes', READ_INDEXES],
  ['without the webhook trigger (its transition table)', [WEBHOOK_TRIGGER]],
  ['primary key and unique (session, kind) only', [...FOREIGN_KEYS, ...READ_INDEXES, WEBHOOK_TRIGGER]],
];

const COMPLETE = `UPDATE training_sessions SET status = 'COMPLETED', updated_at = now(), completed_at = now() WHERE status = 'SCHEDULED'`;
const CHARGE = `
  INSERT INTO charges (member_id, kind, session_id, credit_pack_id, amount_cents, currency, paid_with_credit, description, created_at, created_by, reverses_id, credit_delta)
  SELECT member_id, 'SESSION', id, NULL, price_cents, 'EUR', false, 'Session', now(), NULL, NULL, 0 FROM training_sessions
  ON CONFLICT DO NOTHING
  RETURNING id, member_id, kind, session_id, amount_cents, currency, paid_with_credit, description`;

async function main(): Promise<void> {
  const pg = await startBenchPostgres();
  try {
    const url = await pg.createDatabase('bench_charge_row_cost');
    await createStudio(url, { owners: 1, coaches: 200, members: SESSIONS, series: 0 });
    await arrangePastSessions(url, { sessions: SESSIONS, priced: true });
    await withClient(url, async (client) => {
      await client.query('VACUUM ANALYZE');
      const times = new Map<string, { complete: number[]; charge: number[] }>(VARIANTS.map(([name]) => [name, { complete: [], charge: [] }]));
      const timed = async (sql: string) => {
        const started = performance.now();
        const { rowCount } = await client.query(sql);
        if (rowCount !== SESSIONS) throw new Error(`expected ${SESSIONS} rows, got ${rowCount}: ${sql}`);
        return performance.now() - started;
      };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, ddl] of VARIANTS) {
          await client.query('BEGIN');
          for (const statement of ddl) await client.query(statement);
          const complete = await timed(COMPLETE);
          const charge = await timed(CHARGE);
          await client.query('ROLLBACK');
          await client.query('VACUUM training_sessions, charges');
          times.get(name)!.complete.push(complete);
          times.get(name)!.charge.push(charge);
        }
      }
      console.log(`${SESSIONS} sessions completed, then their ${SESSIONS} charges inserted; medians of ${ROUNDS} rounds`);
      for (const [name, t] of times) {
        console.log(`${name.padEnd(56)} charges ${Math.round(median(t.charge)).toString().padStart(4)} ms   (completing the sessions ${Math.round(median(t.complete))} ms)`);
      }
    });
  } finally {
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
