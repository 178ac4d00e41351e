import express, { type Router } from 'express';
import type pg from 'pg';
import type { Authenticator } from '../auth/authenticate';
import { csvRecord } from '../billing/csv';
import { formatAmount } from '../domain/money';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { validRange } from '../services/billing.service';

/** Rows per round trip: memory stays flat whatever the export's size. */
export const EXPORT_BATCH = 2_000;

export const CSV_HEADER = ['id', 'createdAt', 'memberId', 'memberEmail', 'memberName', 'kind', 'sessionId', 'creditPackId', 'amountCents', 'amount', 'currency', 'paidWithCredit', 'description', 'createdBy', 'enrollmentId'];
// Columns are only ever appended (enrollmentId: since 0.3), so spreadsheets reading by position keep working.

interface ExportRow {
  id: string;
  created_at: Date;
  member_id: string;
  email: string | null;
  name: string;
  kind: string;
  session_id: string | null;
  credit_pack_id: string | null;
  amount_cents: number;
  currency: string;
  paid_with_credit: boolean;
  description: string;
  created_by: string | null;
  enrollment_id: string | null;
}

/**
 * GET /exports/charges.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: owners, bearer token. Every
 * charge created in from..to (the studio's timezone), oldest first: the lines of the
 * members' statements. Streamed in keyset batches with backpressure, never built in memory.
 */
export function chargesExportRoute(options: { pool: pg.Pool; authenticator: Authenticator; studioTimezone: string; log: Logger }): Router {
  const { pool, authenticator, studioTimezone, log } = options;
  const router = express.Router();

  router.get('/exports/charges.csv', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    let range: { from: string; to: string };
    try {
      const actor = (await authenticator.authenticate(req.headers.authorization))?.actor;
      if (!actor) {
        res.status(401).setHeader('www-authenticate', 'Bearer').type('text/plain').end('A bearer token is required\n');
        return;
      }
      if (actor.role !== 'OWNER') {
        res.status(403).type('text/plain').end('Only owners can export charges\n');
        return;
      }
      range = validRange(String(req.query.from ?? ''), String(req.query.to ?? ''));
    } catch (error) {
      if (error instanceof AppError) {
        const status = error.code === 'UNAUTHENTICATED' ? 401 : 400;
        res.status(status).type('text/plain').end(`${error.field ? `${error.field}: ` : ''}${error.message}\n`);
        return;
      }
      log.error({ err: error }, 'charges export: authentication failed');
      res.status(503).type('text/plain').end('Service unavailable\n');
      return;
    }

    let aborted = false;
    res.once('close', () => {
      aborted = !res.writableFinished;
    });
    const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', resolve)));
    try {
      let after: { at: Date; id: string } | null = null;
      let started = false;
      while (!aborted) {
        const result: pg.QueryResult<ExportRow> = await pool.query<ExportRow>(
          `SELECT c.id::text, c.created_at, c.member_id::text, u.email, u.name, c.kind::text, c.session_id::text, c.credit_pack_id::text,
                  c.amount_cents, c.currency, c.paid_with_credit, c.description, c.created_by::text, c.enrollment_id::text
           FROM charges c JOIN users u ON u.id = c.member_id
           WHERE c.created_at >= ($1::date::timestamp AT TIME ZONE $3) AND c.created_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
             AND ($4::timestamptz IS NULL OR (c.created_at, c.id) > ($4::timestamptz, $5::uuid))
           ORDER BY c.created_at, c.id
           LIMIT ${EXPORT_BATCH}`,
          [range.from, range.to, studioTimezone, after?.at ?? null, after?.id ?? null],
        );
        const rows = result.rows;
        if (!started) {
          started = true;
          res.status(200);
          res.setHeader('content-type', 'text/csv; charset=utf-8; header=present');
          res.setHeader('content-disposition', `attachment; filename="charges-${range.from}-${range.to}.csv"`);
          await write(csvRecord(CSV_HEADER));
        }
        let chunk = '';
        for (const r of rows) {
          chunk += csvRecord([
            r.id, r.created_at.toISOString(), r.member_id, r.email, r.name, r.kind, r.session_id, r.credit_pack_id,
            r.amount_cents, formatAmount(r.amount_cents, r.currency), r.currency, r.paid_with_credit, r.description, r.created_by, r.enrollment_id,
          ]);
        }
        if (chunk) await write(chunk);
        if (rows.length < EXPORT_BATCH) break;
        const last: ExportRow = rows[rows.length - 1];
        after = { at: last.created_at, id: last.id };
      }
      res.end();
    } catch (error) {
      log.error({ err: error }, 'charges export failed');
      // Headers may be out already: cut the response so the client sees an incomplete file, not a short one.
      if (res.headersSent) res.destroy(error as Error);
      else res.status(503).type('text/plain').end('Service unavailable\n');
    }
  });
  return router;
}
