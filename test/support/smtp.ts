import { simpleParser, type ParsedMail } from 'mailparser';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What the sink answers to one message: accept it, or an SMTP error reply. */
export type SmtpAnswer = { accept: true } | { accept: false; code: number; message: string };

export interface SmtpSink {
  /** smtp://127.0.0.1:PORT */
  url: string;
  /** Accepted messages, parsed, in arrival order. */
  messages: ParsedMail[];
  /** Every DATA the sink saw (accepted or refused), by arrival. */
  attempts: number;
  /** Decides each message's answer (default: accept); `n` counts DATA commands from 1. */
  answer: (n: number, mail: ParsedMail) => SmtpAnswer | Promise<SmtpAnswer>;
  /** Accepted messages to `to`. */
  to(address: string): ParsedMail[];
  /** Resolves once `count` messages were accepted (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Resolves with the message to `address` (of those `where` accepts) after the first `seen` ones. */
  next(address: string, seen?: number, where?: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  stop(): Promise<void>;
}

/** A real SMTP server on loopback, in the test process (smtp-server), reading messages back with mailparser. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const waiters = new Set<() => void>();
  const sink: SmtpSink = {
    url: '',
    messages: [],
    attempts: 0,
    answer: () => ({ accept: true }),
    to: (address) => sink.messages.filter((m) => addressesOf(m).includes(address.toLowerCase())),
    async waitFor(count, timeoutMs = 10_000) {
      if (sink.messages.length >= count) return sink.messages;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} messages, got ${sink.messages.length} within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (sink.messages.length >= count) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
      });
      return sink.messages;
    },
    next(address, seen = sink.to(address).length, where = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const mail = sink.to(address).filter(where)[seen];
          if (!mail) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No mail to ${address} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      const n = ++sink.attempts;
      simpleParser(stream)
        .then(async (mail) => {
          const answer = await sink.answer(n, mail);
          if (answer.accept) {
            sink.messages.push(mail);
            for (const waiter of [...waiters]) waiter();
            callback();
          } else {
            callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          }
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server.server as net.Server).address() as net.AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

export function addressesOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** The 6-digit code of a sign-in email. */
export function codeIn(mail: ParsedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.text ?? '');
  if (!match) throw new Error(`No code in: ${mail.text}`);
  return match[1];
}

/** A TCP server that accepts connections and never says a word: a hung SMTP server. */
export async function startSilentServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: an SMTP server that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}
