import { withClient } from './postgres';

/**
 * Sessions over three days ago, still SCHEDULED: what the nightly sweep completes. Member i
 * has one, with coach i % 200 (a studio from createStudio), each coach's an hour apart.
 * Priced: 4,000 cents each, and a 10-credit pack for every tenth member; else priced 0.
 */
export async function arrangePastSessions(url: string, { sessions, priced }: { sessions: number; priced: boolean }): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(
      `WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE role = 'COACH'),
            m AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM users WHERE role = 'MEMBER'),
            s AS (
              INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, price_cents)
              SELECT c.id, m.id, cs.default_room_id,
                     date_trunc('hour', now()) - interval '3 days' - (m.n / 200) * interval '1 hour',
                     date_trunc('hour', now()) - interval '3 days' - (m.n / 200) * interval '1 hour' + interval '1 hour',
                     $2
              FROM m JOIN c ON c.n = m.n % 200 JOIN coach_settings cs ON cs.coach_id = c.id
              WHERE m.n < $1
              RETURNING id
            )
       INSERT INTO session_status_changes (session_id, from_status, to_status, at) SELECT id, NULL, 'SCHEDULED', now() FROM s`,
      [sessions, priced ? 4000 : 0],
    );
    if (priced) {
      await client.query(
        `INSERT INTO credit_packs (member_id, credits, remaining, price_cents)
         SELECT id, 10, 10, 30000 FROM users WHERE role = 'MEMBER' AND email LIKE '%0@bench.test'`,
      );
    }
  });
}
