import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ChannelHandler, ChannelRegistry } from './channel';
import { createEmailChannel } from './email.channel';

/**
 * The delivery channels of the outbox, in one place. A new channel: add its value to the
 * OutboxChannel enum (schema + migration), write its handler (deliver + retry delays),
 * register it here; the worker needs no change.
 */
export function createChannels(config: Config, log: Logger, more: { webhook: ChannelHandler; chargeNotices: ChannelHandler }): ChannelRegistry {
  return {
    EMAIL: createEmailChannel({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      messageIdDomain: new URL(config.publicUrl).hostname,
      timeoutMs: config.smtpTimeoutMs,
      retryDelaysMs: config.emailRetryDelaysMs,
      log,
    }),
    // src/webhooks/webhook.channel.ts: needs the pool and the sealer, so the app builds it.
    WEBHOOK: more.webhook,
    // src/billing/charge-notices.channel.ts: writes notifications, so the app builds it too.
    CHARGE_NOTICES: more.chargeNotices,
  };
}
