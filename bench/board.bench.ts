import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { zonedDateTimeToInstant } from '../src/domain/zone-time';
import { projectRoot } from '../src/project-root';
import type { Benchmark } from './harness/bench';
import { CHROMIUM_PATH, launchBenchChromium, measureColdLoad } from './harness/browser';
import { createStudio, tokensFor } from './harness/data';
import { gqlOk } from './harness/graphql';
import { startBenchPostgres, withClient } from './harness/postgres';
import { BENCH_TIMEZONE, startServerProcess } from './harness/server';
import { median, ms, percentile, round } from './harness/stats';

/**
 * Issue 16's goals for the front-desk board (/dashboard) in Debian's Chromium on the
 * loopback: first paint under 1 s with 200 sessions that day, a change visible within
 * 1 s of its mutation, the page's JavaScript under 100 kB gzipped (GraphiQL excluded;
 * the board does not load it).
 */
const SESSIONS = 200;
const COACHES = 20; // 10 sessions each, one an hour from 08:00
const LOADS = 7;
const CHANGES = 20;
const TABLET = { width: 1180, height: 820 };
const COMPLETE = `mutation($id: ID!) { completeSession(id: $id) { id status } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelSession(id: $id, reason: $reason) { id status } }`;

/** The board's page signed in as `token` the way the page keeps it (sessionStorage), in a fresh context (cold cache). */
async function openBoard(browser: Browser, token: string, url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: TABLET });
  await context.addInitScript((value) => {
    const storage = (globalThis as any).sessionStorage; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!storage.getItem('booking.accessToken')) storage.setItem('booking.accessToken', value);
  }, token);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  return {
    page,
    close: async () => {
      await context.close();
      if (errors.length) throw new Error(`the board threw: ${errors.join('; ')}`);
    },
  };
}

export const boardBenchmark: Benchmark = {
  name: 'board',
  title: 'Front-desk board in Chromium: first paint and a day of 200 sessions, live change latency, JavaScript size',
  async run(log) {
    // The page's scripts as `npm start` builds them (dist/browser, served by the server).
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'browser'], { cwd: projectRoot(), stdio: 'inherit' });
    const pg = await startBenchPostgres();
    const holder: { stop?: () => Promise<void>; browser?: Browser } = {};
    try {
      const url = await pg.createDatabase('bench_board');
      const studio = await createStudio(url, { owners: 1, coaches: COACHES, members: SESSIONS, series: 0 });
      const [ownerToken] = await tokensFor(studio.owners);
      // A day of 200 one-hour sessions in the studio's zone: coach c has member c*10+k at 08:00 + k hours.
      const starts = Array.from({ length: SESSIONS }, (_, i) => zonedDateTimeToInstant(studio.today, (8 + (i % 10)) * 60, BENCH_TIMEZONE));
      const ids = await withClient(url, async (client) =>
        (
          await client.query<{ id: string; start_time: Date }>(
            `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status)
             SELECT c, m, r, s, s + interval '1 hour', 'SCHEDULED' FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[]) AS t(c, m, r, s)
             RETURNING id, start_time`,
            [
              starts.map((_, i) => studio.coaches[Math.floor(i / 10)].id),
              starts.map((_, i) => studio.members[i].id),
              starts.map((_, i) => studio.coaches[Math.floor(i / 10)].roomId),
              starts.map((s) => s.toISOString()),
            ],
          )
        ).rows,
      );
      const server = await startServerProcess(url);
      holder.stop = () => server.stop();
      const boardUrl = `http://127.0.0.1:${server.port}/dashboard?date=${studio.today}`;
      const browser = await launchBenchChromium();
      holder.browser = browser;

      // (1) Page loads, each in a fresh context (nothing cached, as on a tablet's first visit of the day).
      const firstPaints: number[] = [];
      const allShown: number[] = [];
      const scripts = new Map<string, Buffer>();
      for (let load = 0; load <= LOADS; load++) {
        const board = await measureColdLoad(browser, { viewport: TABLET, token: ownerToken, url: boardUrl, selector: '[data-session-id]', count: SESSIONS, scripts: load === 0 ? scripts : undefined });
        // Load 0 warms the server (first queries, JIT) and is not counted.
        if (load > 0) {
          firstPaints.push(board.firstPaint);
          allShown.push(board.allShown);
        }
      }
      log(`first contentful paint median ${ms(median(firstPaints))}, all ${SESSIONS} shown median ${ms(median(allShown))}`);

      // (2) A change made over HTTP until the board shows it (over its live subscription).
      const { page, close } = await openBoard(browser, ownerToken, boardUrl);
      await page.locator('#connection[data-state="live"]').waitFor();
      await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[data-session-id]').length === n, SESSIONS); // eslint-disable-line @typescript-eslint/no-explicit-any
      const fromSent: number[] = [];
      const fromAnswered: number[] = [];
      const now = Date.now();
      for (const { id, start_time } of ids.slice(0, CHANGES)) {
        // Started sessions are completed, later ones cancelled (whatever hour the benchmark runs at).
        const [query, status] = start_time.getTime() < now ? [COMPLETE, 'COMPLETED'] : [CANCEL, 'CANCELLED'];
        // The page notes (its own Date.now, the same wall clock) when the card shows the new status.
        const seen = page.evaluate(
          ([sessionId, wanted]) =>
            new Promise<number>((resolve) => {
              const g = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
              const selector = `[data-session-id="${sessionId}"][data-status="${wanted}"]`;
              const observer = new g.MutationObserver(() => {
                if (g.document.querySelector(selector)) {
                  observer.disconnect();
                  resolve(Date.now());
                }
              });
              observer.observe(g.document.body, { subtree: true, childList: true, attributes: true });
            }),
          [id, status] as const,
        );
        await page.evaluate(() => undefined); // the observer is in place before the mutation goes out
        const sent = Date.now();
        await gqlOk(server.url, query, status === 'CANCELLED' ? { id, reason: 'benchmark' } : { id }, ownerToken);
        const answered = Date.now();
        const shown = await seen;
        fromSent.push(shown - sent);
        fromAnswered.push(shown - answered);
      }
      await close();
      log(`change visible: median ${ms(median(fromSent))}, p95 ${ms(percentile(fromSent, 95))} after the mutation was sent`);

      // (3) The page's JavaScript as loaded, gzipped.
      const files = [...scripts.entries()].map(([path, body]) => ({ path, raw: body.length, gzip: gzipSync(body, { level: 9 }).length }));
      const rawKb = files.reduce((sum, f) => sum + f.raw, 0) / 1024;
      const gzipKb = files.reduce((sum, f) => sum + f.gzip, 0) / 1024;
      const biggest = [...files].sort((a, b) => b.gzip - a.gzip).slice(0, 3).map((f) => `${f.path} ${round(f.gzip / 1024, 1)} kB`).join(', ');

      return {
        rows: [
          { metric: `first contentful paint, ${SESSIONS} sessions that day (median / p95 of ${LOADS} cold loads)`, value: `${ms(median(firstPaints))} / ${ms(percentile(firstPaints, 95))}`, goal: '< 1 s', met: median(firstPaints) < 1000 },
          { metric: `all ${SESSIONS} sessions shown, from navigation start (median / p95 of ${LOADS} cold loads)`, value: `${ms(median(allShown))} / ${ms(percentile(allShown, 95))}`, goal: '< 1 s', met: median(allShown) < 1000 },
          { metric: `change visible on the board after its mutation was sent (median / p95 of ${CHANGES})`, value: `${ms(median(fromSent))} / ${ms(percentile(fromSent, 95))}`, goal: '< 1 s', met: percentile(fromSent, 95) < 1000 },
          { metric: `change visible after the mutation's HTTP answer arrived (median / p95 of ${CHANGES})`, value: `${ms(median(fromAnswered))} / ${ms(percentile(fromAnswered, 95))}` },
          { metric: `the page's JavaScript, gzip -9 (${files.length} files)`, value: `${round(gzipKb, 1)} kB`, baseline: `${round(rawKb, 1)} kB as served`, goal: '< 100 kB', met: gzipKb < 100 },
        ],
        notes: [
          `Chromium ${browser.version()} headless (${CHROMIUM_PATH}), a 1180x820 tablet viewport, signed in as the owner by a token in sessionStorage; server and PostgreSQL on this machine, one page at a time.`,
          `Each load is a fresh browser context (nothing cached); one unmeasured load before them warms the server. First paint is the browser's first-contentful-paint entry; "all shown" is performance.now() when the ${SESSIONS}th card is in the DOM (a MutationObserver), both from navigation start.`,
          `Changes: ${CHANGES} sessions, each completed (if started) or cancelled over HTTP by the benchmark; the time runs from just before the request (and from its answer) until the page's MutationObserver sees the card's new status, both on the machine's wall clock. The board learns of it over its graphql-ws subscription.`,
          `JavaScript: every script response of one load, gzipped here (the server sends them uncompressed; on the loopback that costs nothing). Largest: ${biggest}.`,
        ],
      };
    } finally {
      await holder.browser?.close();
      await holder.stop?.();
      await pg.stop();
    }
  },
};
