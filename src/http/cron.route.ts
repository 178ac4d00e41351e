import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../logger';
import { GenerationRunFailed, type GenerationService } from '../services/generation.service';

/** sha256 first: timingSafeEqual needs equal lengths, and digests leak nothing about the secret's length. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * GET/POST /cron/generate-sessions for external schedulers, with
 * `Authorization: Bearer $CRON_SECRET`. Answers the seed's shape:
 * {"success":true,"data":{"runId","totalGenerated","fromRecurringBookings","markedCompleted",...}}.
 */
export function cronRoutes(options: { cronSecret: string | null; generation: GenerationService; log: Logger }): Router {
  const { cronSecret, generation, log } = options;
  const router = express.Router();

  const handle = async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    if (!cronSecret) {
      res.status(503).json({ success: false, error: 'CRON_SECRET is not configured on this server' });
      return;
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !sameSecret(match[1], cronSecret)) {
      res.setHeader('www-authenticate', 'Bearer');
      res.status(401).json({ success: false, error: 'Missing or invalid cron secret' });
      return;
    }
    try {
      const result = await generation.run('HTTP');
      res.json({ success: true, data: result });
    } catch (error) {
      // Recorded as a FAILED GenerationRun by the service; details stay in the logs.
      log.error({ err: error }, 'cron endpoint: generation failed');
      const runId = error instanceof GenerationRunFailed ? error.runId : undefined;
      res.status(500).json({ success: false, error: 'Generation failed', ...(runId ? { runId } : {}) });
    }
  };

  router.get('/cron/generate-sessions', handle);
  router.post('/cron/generate-sessions', handle);
  return router;
}
