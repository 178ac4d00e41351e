import type pg from 'pg';

/**
 * The studio's settings are one row (id = 1). It is created at start from STUDIO_NAME and
 * STUDIO_CURRENCY, once: later starts keep what the studio has set since.
 */
export async function ensureStudioSettings(pool: pg.Pool, defaults: { name: string; currency: string }): Promise<void> {
  await pool.query('INSERT INTO studio_settings (id, name, currency) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING', [defaults.name, defaults.currency]);
}
