/**
 * Carries small text messages to every server instance, the sending one included.
 * PostgreSQL LISTEN/NOTIFY is the default (src/events/pg-notify-transport.ts); a Redis pub/sub
 * channel would fit the same shape. Delivery is at most once: a message sent while an
 * instance is disconnected is lost for it (onReconnect tells it so).
 */
export interface EventTransport {
  /** The largest message, in bytes, send() accepts. */
  readonly maxMessageBytes: number;
  /** Sends the messages, in order, to every instance. */
  send(messages: string[]): Promise<void>;
  /** Starts receiving; resolves once the first connection is listening (or has failed and is being retried). */
  start(handlers: TransportHandlers): Promise<void>;
  /** Stops receiving and closes connections; no handler is called afterwards. */
  stop(): Promise<void>;
}

export interface TransportHandlers {
  onMessage(message: string): void;
  /** Listening again after a lost connection: messages sent in between were missed. */
  onReconnect?(): void;
}
