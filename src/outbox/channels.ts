import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ChannelRegistry } from './channel';
import { createEmailChannel } from './email.channel';

/**
 * The delivery channels of the outbox, in one place. A new channel: add its value to the
 * OutboxChannel enum (schema + migration), write its handler (deliver + retry delays),
 * register it here; the worker needs no change.
 */
export function createChannels(config: Config, log: Logger): ChannelRegistry {
  return {
    EMAIL: createEmailChannel({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      messageIdDomain: new URL(config.publicUrl).hostname,
      timeoutMs: config.smtpTimeoutMs,
      retryDelaysMs: config.emailRetryDelaysMs,
      log,
    }),
    // Until webhooks exist (their issue replaces this entry), a WEBHOOK row is final at once.
    WEBHOOK: {
      retryDelaysMs: [],
      deliver: async () => ({ status: 'FAILED', error: 'No webhook channel is configured on this server' }),
    },
  };
}
