import type { Router } from 'express';
import express from 'express';
import type pg from 'pg';

/** /healthz: the process answers. /readyz: the database answers too. */
export function healthRoutes(pool: pg.Pool): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(pool.query('SELECT 1'), 2_000);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'not ready', error: 'database unreachable' });
    }
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
