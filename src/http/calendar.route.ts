import express, { type Router } from 'express';
import { digest } from '../auth/sealing';
import type { Logger } from '../logger';
import type { CalendarFeedService } from '../services/calendar-feed.service';
import { WindowRateLimiter } from './rate-limit';

/** Per secret: calendar apps poll every few minutes at most; this is ten times that. */
export const FEED_RATE_LIMIT = { max: 30, windowMs: 10 * 60_000 };

/**
 * GET /calendar/<secret>.ics: no bearer (calendar apps send none), the secret is the
 * credential. Unknown, rotated and malformed secrets all get the same 404; a client that
 * asks too often gets 429 with Retry-After; If-None-Match with the current ETag gets 304.
 */
export function calendarRoutes(options: { feeds: CalendarFeedService; log: Logger; limiter?: WindowRateLimiter }): Router {
  const { feeds, log } = options;
  const limiter = options.limiter ?? new WindowRateLimiter(FEED_RATE_LIMIT);
  const router = express.Router();

  router.get('/calendar/:file', async (req, res) => {
    // The URL is a credential: keep it out of referrers, shared caches and search engines.
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-robots-tag', 'noindex');
    res.setHeader('cache-control', 'private, no-cache');
    const file = String(req.params.file);
    const secret = file.endsWith('.ics') ? file.slice(0, -4) : file;
    const wait = limiter.hit(digest(secret).toString('base64url'));
    if (wait !== null) {
      res.status(429).setHeader('retry-after', String(wait)).type('text/plain').end('Too many requests for this feed\n');
      return;
    }
    try {
      // Without .ics the lookup still runs (and misses): one path for every wrong URL.
      const feed = await feeds.render(file.endsWith('.ics') ? secret : '');
      if (!feed) {
        // end(), not send(): no ETag or anything else derived from the request on a miss.
        res.status(404).type('text/plain').end('Not found\n');
        return;
      }
      res.setHeader('etag', feed.etag);
      res.setHeader('server-timing', `db;dur=${feed.timings.db.toFixed(1)}, render;dur=${feed.timings.render.toFixed(1)}`);
      if (matches(req.headers['if-none-match'], feed.etag)) {
        res.status(304).end();
        return;
      }
      res.type('text/calendar; charset=utf-8').setHeader('content-disposition', 'inline; filename="sessions.ics"');
      res.send(feed.body);
    } catch (error) {
      log.error({ err: error }, 'calendar feed failed');
      res.status(503).setHeader('retry-after', '60').type('text/plain').send('Service unavailable, try again shortly\n');
    }
  });
  return router;
}

/** If-None-Match: "*" or a list of (possibly weak) tags; a weak comparison, as RFC 9110 asks for GET. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
