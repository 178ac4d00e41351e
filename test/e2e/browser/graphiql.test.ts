import type { Browser, Page } from 'playwright-core';
import { CancelSessionDocument } from '../../generated/graphql';
import { ARTEFACTS, buildBrowserCode, describeInChromium, foreignRequests, launchChromium, recordPage, type PageRecord } from '../../support/browser';
import { startTestServer, type TestServer, type TestUser } from '../../support/server';
import { HOUR_MS, insertRoom, insertSession, wholeHourFromNow } from '../../support/sessions';

/** GraphiQL at GET /graphql, in a real Chromium that cannot resolve any name but the loopback. */
let server: TestServer;
let browser: Browser;
let owner: TestUser;
let page: Page;
let record: PageRecord;

beforeAll(async () => {
  await buildBrowserCode();
  server = await startTestServer();
  browser = await launchChromium();
  owner = await server.user('OWNER', 'IDE owner');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** GraphiQL's editors are CodeMirror 5 instances: set and read their text as a person typing would end up with. */
const editor = (label: 'Query Editor' | 'Headers' | 'Result Window') =>
  label === 'Result Window' ? page.locator('.result-window .CodeMirror') : page.locator(`[aria-label="${label}"] .graphiql-editor:not(.hidden) .CodeMirror`).first();
const setText = (label: 'Query Editor' | 'Headers', text: string) =>
  editor(label).evaluate((element: any, value: string) => element.CodeMirror.setValue(value), text); // eslint-disable-line @typescript-eslint/no-explicit-any
const resultText = () => editor('Result Window').evaluate((element: any) => element.CodeMirror.getValue() as string); // eslint-disable-line @typescript-eslint/no-explicit-any

async function resultContaining(text: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await resultText();
    if (result.includes(text)) return result;
    if (Date.now() > deadline) throw new Error(`The result window never showed ${text}; it shows:\n${result}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeInChromium('GraphiQL at /graphql', () => {
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    record = recordPage(page);
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'.*script-src 'self'/);
  });
  afterAll(() => page?.close());

  it('renders from the server itself and loads the schema by introspection', async () => {
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-execute-button').waitFor();
    // The documentation explorer lists the root types once introspection succeeded.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
    await page.screenshot({ path: `${ARTEFACTS}/graphiql.png` });
  });

  it('runs a query with the token from the headers editor', async () => {
    await setText('Headers', JSON.stringify({ Authorization: `Bearer ${owner.token}` }, null, 2));
    await setText('Query Editor', '{ me { email role } }');
    await page.locator('.graphiql-execute-button').click();
    const result = JSON.parse(await resultContaining(owner.email));
    expect(result).toEqual({ data: { me: { email: owner.email, role: 'OWNER' } } });
    // The token stays in the tab's editor: GraphiQL persists queries (a moment later), not headers.
    const storage = () => JSON.stringify({ ...(globalThis as any).localStorage, ...(globalThis as any).sessionStorage }); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.waitForFunction(() => JSON.stringify({ ...(globalThis as any).localStorage }).includes('me { email role }')); // eslint-disable-line @typescript-eslint/no-explicit-any
    const stored = await page.evaluate(storage);
    expect(stored).not.toContain(owner.token);
  });

  it('runs a subscription over graphql-ws on the same path and shows its events as they come', async () => {
    const [coach, member] = [await server.user('COACH'), await server.user('MEMBER')];
    const roomId = await insertRoom(server.db);
    await setText('Query Editor', 'subscription Live { sessionChanged { kind session { id status cancellationReason } } }');
    await page.locator('.graphiql-execute-button').click();
    // graphql-ws does not acknowledge a subscribe: cancel fresh sessions until one shows up.
    let slot = 0;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const start = new Date(wholeHourFromNow(24).getTime() + 2 * HOUR_MS * slot++);
      const id = await insertSession(server.db, { coachId: coach.id, memberId: member.id, roomId, start });
      await server.ok(CancelSessionDocument, { id, reason: 'from the IDE test' }, owner);
      const shown = await resultContaining(id, 700).catch(() => null);
      if (shown) {
        expect(shown).toContain('"status": "CANCELLED"');
        expect(shown).toContain('from the IDE test');
        break;
      }
      if (Date.now() > deadline) throw new Error(`No event reached GraphiQL; result window:\n${await resultText()}`);
    }
    expect(record.requests.some((url) => url.startsWith('ws://'))).toBe(true);
  });

  it('asked nothing of anyone but the server, and logged no error (no Content-Security-Policy violation either)', () => {
    expect(record.requests.length).toBeGreaterThan(5);
    expect(foreignRequests(record, server.url)).toEqual([]);
    expect(record.errors).toEqual([]);
  });
});

describeInChromium('GraphiQL in production with GRAPHQL_IDE=true and introspection off', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ env: { NODE_ENV: 'production', LOG_LEVEL: 'silent', GRAPHQL_IDE: 'true' } });
  });
  afterAll(() => production?.stop());

  it('has no schema to show, yet runs operations', async () => {
    const user = await production.user('OWNER');
    page = await browser.newPage();
    await page.goto(production.url);
    await page.locator('.graphiql-execute-button').waitFor();
    await setText('Headers', JSON.stringify({ Authorization: `Bearer ${user.token}` }));
    await setText('Query Editor', '{ me { email } }');
    await page.locator('.graphiql-execute-button').click();
    expect(JSON.parse(await resultContaining(user.email))).toEqual({ data: { me: { email: user.email } } });
    await page.close();
  });
});
