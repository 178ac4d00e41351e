import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../scripts/build-app';
import { projectRoot } from '../../src/project-root';

/** The operating system's Chromium (Debian: apt-get install -y chromium); playwright-core cannot download one here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser specs run like every other spec. Without Chromium they are skipped on a
 * developer's machine but FAIL under CI=true (the launch below throws), so CI can
 * never pass by not running them.
 */
export const describeInChromium: jest.Describe = existsSync(CHROMIUM_PATH) || process.env.CI ? describe : describe.skip;

/** Screenshots and other files a browser run leaves for people to look at (gitignored). */
export const ARTEFACTS = path.join(projectRoot(), 'test-artefacts', 'browser');

/** The pages' scripts as `npm start` builds them (tsc -b is incremental: quick when nothing changed), and the app's bundle. */
export async function buildBrowserCode(): Promise<void> {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'browser'], { cwd: projectRoot(), stdio: 'inherit' });
  await buildApp();
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(ARTEFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox', // as root Chromium refuses to start otherwise
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Any name but loopback fails to resolve: a page that reached for a CDN would break visibly.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/** What a page asked for and what the browser complained about, recorded from the first request on. */
export interface PageRecord {
  requests: string[];
  /** Console errors, Content-Security-Policy violations among them. */
  errors: string[];
}

export function recordPage(page: Page): PageRecord {
  const record: PageRecord = { requests: [], errors: [] };
  page.on('request', (request) => record.requests.push(request.url()));
  page.on('websocket', (socket) => record.requests.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') record.errors.push(message.text());
  });
  page.on('pageerror', (error) => record.errors.push(String(error)));
  return record;
}

/** Requests that went anywhere but the server (http(s) and ws(s) of its own origin); data: URLs never leave the page. */
export function foreignRequests(record: PageRecord, serverOrigin: string): string[] {
  const host = new URL(serverOrigin).host;
  return record.requests.filter((url) => {
    if (url.startsWith('data:')) return false;
    const parsed = new URL(url);
    return !(['http:', 'ws:'].includes(parsed.protocol) && parsed.host === host);
  });
}

/** axe-core's findings of serious or critical impact on the page as it is now (the rules of WCAG 2.x A and AA and best practice). */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  // Evaluated over the DevTools protocol, so the page's Content-Security-Policy does not block it.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe; // eslint-disable-line @typescript-eslint/no-explicit-any
    const result = await axe.run((globalThis as any).document, { resultTypes: ['violations'] }); // eslint-disable-line @typescript-eslint/no-explicit-any
    return result.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical');
}
