import type { PrismaClient } from '../generated/prisma/client';
import type { LocalPubSub } from '../graphql/pubsub';
import type { Logger } from '../logger';
import type { EventPublisher } from '../runtime/event-publisher';
import { TransportEventPublisher } from './publisher';
import { EventRelay } from './relay';
import type { SignOuts } from './sign-outs';
import type { EventTransport } from '../runtime/event-transport';

export interface LiveEvents {
  /** What services publish committed changes to. */
  publisher: EventPublisher;
  /** Sends what is pending, stops listening, and lets received messages finish loading. */
  stop(): Promise<void>;
}

/**
 * Live updates for one instance: services publish through the transport to every
 * instance (this one included), and each instance's relay feeds its own subscribers.
 */
export async function startLiveEvents(options: { transport: EventTransport; prisma: PrismaClient; pubSub: LocalPubSub; log: Logger; signOuts?: SignOuts }): Promise<LiveEvents> {
  const { transport, prisma, pubSub, log } = options;
  const relay = new EventRelay(prisma, pubSub, log, options.signOuts);
  const publisher = new TransportEventPublisher(transport, log);
  await transport.start({ onMessage: (message) => relay.receive(message) });
  return {
    publisher,
    async stop() {
      await publisher.flush();
      await transport.stop();
      await relay.idle();
    },
  };
}
