import express from 'express';
import { addDays, parseLocalDate } from '../../domain/civil-date';
import { localDateOf, zonedDateTimeToInstant } from '../../domain/zone-time';
import { pageTemplate } from './assets';
import { pageHeaders } from './content-security-policy';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ESCAPES[char]);

/** The studio's day for a board: its bounds as instants, and the days either side for navigation. */
export function boardDay(date: string, timezone: string) {
  return {
    date,
    timezone,
    from: zonedDateTimeToInstant(date, 0, timezone).toISOString(),
    to: zonedDateTimeToInstant(addDays(date, 1), 0, timezone).toISOString(),
    previous: addDays(date, -1),
    next: addDays(date, 1),
  };
}

/**
 * GET /dashboard?date=YYYY-MM-DD: the front-desk board's page. The day (default:
 * today in the studio's timezone) and its bounds are written into the page, so the
 * script needs no timezone arithmetic; everything else it loads over /graphql.
 */
export function dashboardRoutes(options: { studioTimezone: string; now?: () => Date }): express.Router {
  const router = express.Router();
  const template = pageTemplate('dashboard/index.html');
  const now = options.now ?? (() => new Date());
  router.get(['/dashboard', '/dashboard/'], (req, res) => {
    const asked = req.query.date;
    let date: string | null;
    if (asked === undefined || asked === '') date = localDateOf(now(), options.studioTimezone);
    else date = typeof asked === 'string' ? parseLocalDate(asked) : null;
    if (date === null) {
      res.status(400).type('text/plain').send('date must be a calendar date written YYYY-MM-DD, e.g. /dashboard?date=2026-03-29\n');
      return;
    }
    const day = boardDay(date, options.studioTimezone);
    const page = template.replace(/\{\{(\w+)\}\}/g, (_match, key: keyof typeof day) => escapeHtml(String(day[key] ?? '')));
    res.set(pageHeaders(req)).send(page);
  });
  return router;
}
