import pino from 'pino';
import { connect, type Db } from '../../src/db/prisma';
import { inTransaction } from '../../src/db/transaction';
import { PgNotifyTransport } from '../../src/events/pg-notify-transport';
import { createEmailChannel } from '../../src/outbox/email.channel';
import { enqueueEmail, OUTBOX_WAKE_CHANNEL, type EmailMessage } from '../../src/outbox/outbox';
import { OutboxWorker } from '../../src/outbox/worker';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { closedPortUrl, startSilentServer, startSmtpSink, type SmtpSink } from '../support/smtp';

const silent = pino({ level: 'silent' });

let db: TestDatabase;
let sink: SmtpSink;
const dbs: Db[] = [];
const workers: OutboxWorker[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  sink = await startSmtpSink();
  await db.query('DELETE FROM outbox_messages');
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(dbs.splice(0).map((d) => d.close()));
  await sink.stop();
});

function open(): Db {
  const d = connect(db.url, 4);
  dbs.push(d);
  return d;
}

interface WorkerOptions {
  smtpUrl?: string | null;
  retryDelaysMs?: number[];
  timeoutMs?: number;
  log?: pino.Logger;
  concurrency?: number;
  leaseMs?: number;
}

/** One instance's worker on its own pool, woken by NOTIFY like the server's. */
async function startWorker(options: WorkerOptions = {}): Promise<{ worker: OutboxWorker; db: Db }> {
  const own = open();
  const log = options.log ?? silent;
  const worker = new OutboxWorker({
    pool: own.pool,
    log,
    pollMs: 60_000, // only NOTIFY wakes it: proves the wake-up path
    concurrency: options.concurrency,
    leaseMs: options.leaseMs,
    channels: {
      EMAIL: createEmailChannel({
        smtpUrl: options.smtpUrl === undefined ? sink.url : options.smtpUrl,
        from: 'Studio <no-reply@studio.test>',
        messageIdDomain: 'studio.test',
        timeoutMs: options.timeoutMs ?? 5_000,
        retryDelaysMs: options.retryDelaysMs ?? [30_000],
        log,
      }),
      WEBHOOK: { retryDelaysMs: [], deliver: async () => ({ status: 'FAILED', error: 'none' }) },
      CHARGE_NOTICES: { retryDelaysMs: [], deliver: async () => ({ status: 'FAILED', error: 'none' }) },
    },
    wake: new PgNotifyTransport({ connectionString: db.url, pool: own.pool, log, channel: OUTBOX_WAKE_CHANNEL, applicationName: 'test-outbox-listener' }),
  });
  workers.push(worker);
  await worker.start();
  return { worker, db: own };
}

const email = (n: number, extra: Partial<EmailMessage> = {}): EmailMessage & { dedupeKey: string } => ({
  to: `member${n}@example.test`,
  subject: `Your session #${n}`,
  text: `Plain text ${n}`,
  html: `<p>HTML ${n}</p>`,
  dedupeKey: `test:${n}`,
  ...extra,
});

async function enqueue(client: Db, ...emails: (EmailMessage & { dedupeKey: string })[]): Promise<void> {
  await inTransaction(client.prisma, async (tx) => {
    for (const e of emails) await enqueueEmail(tx, e);
  });
}

async function rows() {
  return db.query<{ id: string; status: string; attempts: number; last_error: string | null; sent_at: Date | null; locked_until: Date | null }>(
    'SELECT id::text, status::text, attempts, last_error, sent_at, locked_until FROM outbox_messages ORDER BY created_at, id',
  );
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the outbox', () => {
  it('delivers a committed email once, about a second after commit at most, with a Message-ID from its row', async () => {
    const { db: app } = await startWorker();
    const committed = Date.now();
    await enqueue(app, email(1, { attachments: [{ filename: 'session.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' }] }));
    const [mail] = await sink.waitFor(1, 3_000);
    expect(Date.now() - committed).toBeLessThan(1_500);
    expect(mail.subject).toBe('Your session #1');
    expect(mail.text?.trim()).toBe('Plain text 1');
    expect(mail.html).toContain('<p>HTML 1</p>');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['session.ics', 'text/calendar']]);
    await until(async () => (await rows())[0]?.status === 'SENT');
    const [row] = await rows();
    expect(mail.messageId).toBe(`<${row.id}@studio.test>`);
    expect(row).toMatchObject({ attempts: 1, last_error: null, locked_until: null });
    expect(row.sent_at).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.attempts).toBe(1);
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const { db: app, worker } = await startWorker();
    await expect(
      inTransaction(app.prisma, async (tx) => {
        await enqueueEmail(tx, email(1));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    worker.kick();
    await worker.idle();
    expect(await rows()).toEqual([]);
    expect(sink.attempts).toBe(0);
  });

  it('keeps the first of two messages with the same dedupe key', async () => {
    const { db: app } = await startWorker();
    await enqueue(app, email(1));
    await enqueue(app, email(1, { subject: 'a second copy' }));
    await sink.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages.map((m) => m.subject)).toEqual(['Your session #1']);
    expect(await rows()).toHaveLength(1);
  });

  it('retries after a 451 on the first attempt and then delivers, once', async () => {
    sink.answer = (n) => (n === 1 ? { accept: false, code: 451, message: 'Try again later' } : { accept: true });
    const { db: app } = await startWorker({ retryDelaysMs: [200, 200] });
    await enqueue(app, email(1));
    await sink.waitFor(1);
    await until(async () => (await rows())[0]?.status === 'SENT');
    expect(sink.attempts).toBe(2);
    expect(await rows()).toMatchObject([{ status: 'SENT', attempts: 2, last_error: null }]);
  });

  it('marks a message FAILED at once when the server refuses it for good (5xx)', async () => {
    sink.answer = () => ({ accept: false, code: 550, message: 'No such user' });
    const { db: app } = await startWorker({ retryDelaysMs: [50, 50] });
    await enqueue(app, email(1));
    await until(async () => (await rows())[0]?.status === 'FAILED');
    const [row] = await rows();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/550/);
    expect(sink.attempts).toBe(1);
  });

  it('retries while the SMTP server is down and marks the message FAILED after the last attempt', async () => {
    const { db: app } = await startWorker({ smtpUrl: await closedPortUrl(), retryDelaysMs: [100, 100, 100] });
    await enqueue(app, email(1));
    // Retries come due without a NOTIFY (and long before the minute-long poll): the worker wakes itself for them.
    await until(async () => (await rows())[0]?.status === 'FAILED', 15_000);
    const [row] = await rows();
    expect(row.attempts).toBe(4); // the first try and one per delay
    expect(row.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
  });

  it('gives up on a server that accepts the connection and never answers, without holding the worker', async () => {
    const silentServer = await startSilentServer();
    try {
      const { db: app, worker } = await startWorker({ smtpUrl: silentServer.url, timeoutMs: 300, retryDelaysMs: [] });
      await enqueue(app, email(1));
      await until(async () => (await rows())[0]?.status === 'FAILED', 10_000);
      expect((await rows())[0].last_error).toMatch(/timeout|ETIMEDOUT/i);
      await worker.idle();
    } finally {
      await silentServer.stop();
    }
  });

  it('holds no database connection while it talks to the SMTP server', async () => {
    const { db: app, worker } = await startWorker();
    await enqueue(app, email(1));
    let inUseWhileSending = -1;
    sink.answer = async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      inUseWhileSending = app.pool.totalCount - app.pool.idleCount;
      return { accept: true };
    };
    worker.kick();
    await sink.waitFor(1);
    expect(inUseWhileSending).toBe(0);
  });

  it('delivers each message exactly once when two instances race for the same rows', async () => {
    const a = await startWorker({ concurrency: 8 });
    const b = await startWorker({ concurrency: 8 });
    const messages = Array.from({ length: 150 }, (_, i) => email(i));
    // Three transactions, so both instances are woken several times while the others deliver.
    await enqueue(a.db, ...messages.slice(0, 50));
    await enqueue(b.db, ...messages.slice(50, 100));
    await enqueue(a.db, ...messages.slice(100));
    await sink.waitFor(150, 20_000);
    await until(async () => (await rows()).every((r) => r.status === 'SENT'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = sink.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(150);
    expect(sink.attempts).toBe(150);
    expect((await rows()).every((r) => r.attempts === 1)).toBe(true);
  });

  it('loses nothing across a restart: rows committed while no worker ran, and rows of an instance that died mid-delivery', async () => {
    const writer = open();
    await enqueue(writer, email(1), email(2));
    // Instance that claimed message 2 and died before recording it: its lease has run out.
    await db.query(
      "UPDATE outbox_messages SET attempts = 1, locked_until = now() - interval '1 second' WHERE dedupe_key = 'test:2'",
    );
    expect(sink.attempts).toBe(0);
    await startWorker(); // the restarted server
    await sink.waitFor(2);
    expect(sink.messages.map((m) => m.subject).sort()).toEqual(['Your session #1', 'Your session #2']);
    await until(async () => (await rows()).every((r) => r.status === 'SENT'));
  });

  it('leaves a row leased by another live instance alone', async () => {
    const writer = open();
    await enqueue(writer, email(1));
    await db.query("UPDATE outbox_messages SET attempts = 1, locked_until = now() + interval '1 hour'");
    const { worker } = await startWorker();
    worker.kick();
    await worker.idle();
    expect(sink.attempts).toBe(0);
    expect(await rows()).toMatchObject([{ status: 'PENDING', attempts: 1 }]);
  });

  it('without SMTP_URL logs what it would have mailed (recipient and subject) and records SKIPPED', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const { db: app } = await startWorker({ smtpUrl: null, log });
    await enqueue(app, email(7));
    await until(async () => (await rows())[0]?.status === 'SKIPPED');
    const line = lines.find((l) => String(l.msg).includes('would have mailed'));
    expect(line).toMatchObject({ to: 'member7@example.test', subject: 'Your session #7' });
    expect(JSON.stringify(line)).not.toContain('Plain text 7');
    expect((await rows())[0].last_error).toBe('SMTP_URL is not set');
  });
});
