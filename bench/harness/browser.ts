import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, without the background traffic that would blur timings. */
export async function launchBenchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ColdLoad {
  viewport: { width: number; height: number };
  /** Signed in the way the pages keep it: sessionStorage. */
  token: string;
  url: string;
  /** Shown when this many elements match the selector. */
  selector: string;
  count: number;
  /** Collects every script the page loaded, by path. */
  scripts?: Map<string, Buffer>;
}

/** One load in a fresh context (nothing cached): first contentful paint and the moment all was shown, both from navigation start. */
export async function measureColdLoad(browser: Browser, load: ColdLoad): Promise<{ firstPaint: number; allShown: number }> {
  const context = await browser.newContext({ viewport: load.viewport });
  try {
    await context.addInitScript(
      ([token, selector, count]) => {
        const g = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
        if (!g.sessionStorage.getItem('booking.accessToken')) g.sessionStorage.setItem('booking.accessToken', token);
        const observer = new g.MutationObserver(() => {
          if (g.document.querySelectorAll(selector).length >= count) {
            g.__allShown = g.performance.now();
            observer.disconnect();
          }
        });
        observer.observe(g.document, { subtree: true, childList: true });
      },
      [load.token, load.selector, load.count] as const,
    );
    const page = await context.newPage();
    const pending: Promise<void>[] = [];
    const scripts = load.scripts;
    if (scripts) {
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') pending.push(response.body().then((body) => void scripts.set(new URL(response.url()).pathname, body)));
      });
    }
    await page.goto(load.url);
    const allShown = (await (await page.waitForFunction(() => (globalThis as any).__allShown as number | undefined, undefined, { timeout: 30_000 })).jsonValue()) as number; // eslint-disable-line @typescript-eslint/no-explicit-any
    const firstPaint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
    await Promise.all(pending);
    return { firstPaint, allShown };
  } finally {
    await context.close();
  }
}
