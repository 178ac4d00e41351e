import nodemailer from 'nodemailer';
import type { Logger } from '../logger';
import type { ChannelHandler, DeliveryOutcome } from './channel';
import type { EmailPayload } from './outbox';

export interface EmailChannelOptions {
  /** null: nothing is sent; each email is logged ("would have mailed") and SKIPPED. */
  smtpUrl: string | null;
  from: string;
  /** Right-hand side of Message-IDs (the PUBLIC_URL host). */
  messageIdDomain: string;
  /** Connection and greeting timeout; the socket may stay silent three times as long. */
  timeoutMs: number;
  retryDelaysMs: number[];
  log: Logger;
}

/** Nodemailer error codes that say the message itself is unusable, whatever the server. */
const PERMANENT_LOCAL_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS']);

/**
 * What an SMTP failure means for the next attempt: a 5xx reply is permanent (FAILED), a
 * 4xx reply temporary (RETRY); no reply at all (refused, timed out, dropped) is RETRY,
 * since the message never reached a server that judged it. Failed authentication is
 * the studio's configuration, not the message: RETRY, so fixing SMTP_URL delivers it.
 */
export function classifySmtpError(error: unknown): DeliveryOutcome {
  const { responseCode, code, message } = (error ?? {}) as { responseCode?: number; code?: string; message?: string };
  const text = `${code ?? 'ERROR'}${responseCode ? ` ${responseCode}` : ''}: ${message ?? String(error)}`.slice(0, 1_000);
  if (code === 'EAUTH' || code === 'ENOAUTH') return { status: 'RETRY', error: text };
  if (typeof responseCode === 'number' && responseCode >= 500) return { status: 'FAILED', error: text };
  if (typeof responseCode === 'number' && responseCode >= 400) return { status: 'RETRY', error: text };
  if (code && PERMANENT_LOCAL_CODES.has(code)) return { status: 'FAILED', error: text };
  return { status: 'RETRY', error: text };
}

/**
 * Email through nodemailer's SMTP pool. Every timeout is bounded so a slow or silent
 * server costs a delivery slot for seconds, never the worker. The Message-ID comes from
 * the outbox row, so a retry (or a resend after a crash between SMTP's OK and our
 * record of it) carries the same id and receivers can drop the duplicate.
 */
export function createEmailChannel(options: EmailChannelOptions): ChannelHandler {
  const { smtpUrl, from, messageIdDomain, timeoutMs, retryDelaysMs, log } = options;
  const transport = smtpUrl
    ? nodemailer.createTransport({
        url: smtpUrl,
        pool: true,
        maxConnections: 5,
        maxMessages: 1_000,
        // The pool's own requeueing would hide a dead server from our retry schedule.
        maxRequeues: 1,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs * 3,
        dnsTimeout: timeoutMs,
      } as Parameters<typeof nodemailer.createTransport>[0] & { pool: true })
    : null;

  return {
    retryDelaysMs,
    async deliver(payload, row) {
      const email = payload as EmailPayload;
      if (!transport) {
        log.info({ to: email.to, subject: email.subject, outboxId: row.id }, 'would have mailed (SMTP_URL is not set)');
        return { status: 'SKIPPED', reason: 'SMTP_URL is not set' };
      }
      try {
        await transport.sendMail({
          from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: `<${row.id}@${messageIdDomain}>`,
          attachments: email.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
        });
        return { status: 'SENT' };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close() {
      transport?.close();
    },
  };
}
