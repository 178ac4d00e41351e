import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Metrics } from '../metrics/metrics';

/** Digests first: timingSafeEqual needs equal lengths, and digests say nothing about the token's length. */
function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** GET /metrics in Prometheus' text format; `Authorization: Bearer $METRICS_TOKEN` when a token is set. */
export function metricsRoutes(options: { metrics: Metrics; token: string | null }): Router {
  const { metrics, token } = options;
  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    if (token !== null) {
      const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!match || !sameToken(match[1], token)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        res.status(401).type('text/plain').send('Missing or invalid metrics token\n');
        return;
      }
    }
    const body = await metrics.render();
    res.type(metrics.registry.contentType).send(body);
  });
  return router;
}
