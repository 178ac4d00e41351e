import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { buildApp } from '../scripts/build-app';
import { addDays } from '../src/domain/civil-date';
import { zonedDateTimeToInstant } from '../src/domain/zone-time';
import type { Benchmark } from './harness/bench';
import { CHROMIUM_PATH, launchBenchChromium, measureColdLoad } from './harness/browser';
import { createStudio, tokensFor } from './harness/data';
import { gqlOk } from './harness/graphql';
import { startBenchPostgres, withClient } from './harness/postgres';
import { BENCH_TIMEZONE, startServerProcess } from './harness/server';
import { median, ms, percentile, round } from './harness/stats';

/**
 * Issue 24's goals for the members' and coaches' app (/app) in Debian's Chromium on the
 * loopback: first contentful paint and a member's week of 50 items (35 sessions, 15
 * classes) shown in under 1 s; the app's JavaScript under 150 kB gzipped.
 */
const SESSIONS = 35; // 5 a day, 07:00-11:00
const CLASSES = 15; // 2-3 a day at 18:00, 19:00, 20:00
const LOADS = 7;
const PHONE = { width: 390, height: 844 };

export const appBenchmark: Benchmark = {
  name: 'app',
  title: "Members' app in Chromium: first paint and a member's week of 50 items, JavaScript size",
  async run(log) {
    await buildApp(); // as `npm start` builds it
    const pg = await startBenchPostgres();
    const holder: { stop?: () => Promise<void>; browser?: Browser } = {};
    try {
      const url = await pg.createDatabase('bench_app');
      const studio = await createStudio(url, { owners: 1, coaches: 5, members: 1, series: 0 });
      const [ownerToken, memberToken] = await tokensFor([studio.owners[0], studio.members[0]]);
      const member = studio.members[0];
      const day = (i: number) => addDays(studio.today, 1 + (i % 6)); // tomorrow on: nothing has started yet
      const starts = Array.from({ length: SESSIONS }, (_, i) => zonedDateTimeToInstant(day(i), (7 + Math.floor(i / 6)) * 60, BENCH_TIMEZONE));
      await withClient(url, (client) =>
        client.query(
          `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status)
           SELECT c, $2, r, s, s + interval '1 hour', 'SCHEDULED' FROM unnest($1::uuid[], $3::uuid[], $4::timestamptz[]) AS t(c, r, s)`,
          [starts.map((_, i) => studio.coaches[i % 5].id), member.id, starts.map((_, i) => studio.coaches[i % 5].roomId), starts.map((s) => s.toISOString())],
        ),
      );
      const server = await startServerProcess(url);
      holder.stop = () => server.stop();
      const type = await gqlOk<{ createClassType: { id: string } }>(server.url, `mutation { createClassType(input: { name: "Spin", durationMinutes: 45, capacity: 20, waitlistCapacity: 5 }) { id } }`, {}, ownerToken);
      for (let i = 0; i < CLASSES; i++) {
        const startTime = zonedDateTimeToInstant(day(i), (18 + Math.floor(i / 6)) * 60, BENCH_TIMEZONE).toISOString();
        const coach = studio.coaches[i % 5];
        const scheduled = await gqlOk<{ scheduleClass: { id: string } }>(
          server.url, `mutation($input: ScheduleClassInput!) { scheduleClass(input: $input) { id } }`,
          { input: { classTypeId: type.createClassType.id, coachId: coach.id, roomId: coach.roomId, startTime } }, ownerToken,
        );
        await gqlOk(server.url, `mutation($id: ID!, $member: ID!) { enrollInClass(sessionId: $id, memberId: $member) { id } }`, { id: scheduled.scheduleClass.id, member: member.id }, ownerToken);
      }
      const appUrl = `http://127.0.0.1:${server.port}/app`;
      const browser = await launchBenchChromium();
      holder.browser = browser;

      const firstPaints: number[] = [];
      const allShown: number[] = [];
      const scripts = new Map<string, Buffer>();
      for (let load = 0; load <= LOADS; load++) {
        const measured = await measureColdLoad(browser, { viewport: PHONE, token: memberToken, url: appUrl, selector: '#view .item', count: SESSIONS + CLASSES, scripts: load === 0 ? scripts : undefined });
        if (load > 0) {
          firstPaints.push(measured.firstPaint);
          allShown.push(measured.allShown);
        }
      }
      const items = SESSIONS + CLASSES;
      log(`first contentful paint median ${ms(median(firstPaints))}, week of ${items} shown median ${ms(median(allShown))}`);

      const files = [...scripts.entries()].map(([path, body]) => ({ path, raw: body.length, gzip: gzipSync(body, { level: 9 }).length }));
      const rawKb = files.reduce((sum, f) => sum + f.raw, 0) / 1024;
      const gzipKb = files.reduce((sum, f) => sum + f.gzip, 0) / 1024;
      return {
        rows: [
          { metric: `first contentful paint of /app, signed in (median / p95 of ${LOADS} cold loads)`, value: `${ms(median(firstPaints))} / ${ms(percentile(firstPaints, 95))}`, goal: '< 1 s', met: percentile(firstPaints, 95) < 1000 },
          { metric: `a member's week of ${items} items shown (${SESSIONS} sessions, ${CLASSES} classes), from navigation start (median / p95)`, value: `${ms(median(allShown))} / ${ms(percentile(allShown, 95))}`, goal: '< 1 s', met: percentile(allShown, 95) < 1000 },
          { metric: `the app's JavaScript, gzip -9 (${files.length} file${files.length === 1 ? '' : 's'})`, value: `${round(gzipKb, 1)} kB`, baseline: `${round(rawKb, 1)} kB as served`, goal: '< 150 kB', met: gzipKb < 150 },
        ],
        notes: [
          `Chromium ${browser.version()} headless (${CHROMIUM_PATH}), a ${PHONE.width}x${PHONE.height} phone viewport, signed in as the member by a token in sessionStorage; server and PostgreSQL on this machine.`,
          'Each load is a fresh browser context (nothing cached); one unmeasured load before them warms the server. First paint is the first-contentful-paint entry; "shown" is performance.now() when the last item of the week is in the DOM (a MutationObserver), both from navigation start. The week needs the page, the bundle, then three queries (me; sessions and enrollments at once).',
          'JavaScript: every script response of one load (Preact, urql with graphcache, graphql-ws, dayjs and the app in one minified bundle by esbuild), gzipped here.',
        ],
      };
    } finally {
      await holder.browser?.close();
      await holder.stop?.();
      await pg.stop();
    }
  },
};
