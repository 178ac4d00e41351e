import type { PubSub } from 'type-graphql';
import type { SessionStatus } from '../domain/lifecycle';
import type { Logger } from '../logger';
import type { SessionChangeKind } from '../runtime/event-publisher';
import type { SessionWithRelations } from '../services/session-page.sql';

/** Topics the schema's subscriptions read. */
export const TOPICS = {
  sessionChanged: 'SESSION_CHANGED',
  generationRunFinished: 'GENERATION_RUN_FINISHED',
  notificationReceived: 'NOTIFICATION_RECEIVED',
  classSessionChanged: 'CLASS_SESSION_CHANGED',
  enrollmentChanged: 'ENROLLMENT_CHANGED',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** The payload of the sessionChanged topic. */
export interface SessionChangePayload {
  kind: SessionChangeKind;
  /** The row plus its relations, loaded once per batch for every subscriber here. */
  session: SessionWithRelations;
  previousStatus: SessionStatus | null;
  at: Date;
}

/** Undelivered events one subscriber may fall behind by before its subscription is ended. */
export const MAX_BACKLOG = 10_000;

/** Which events a subscriber wants; decided when an event is published. */
export type Accepts = (payload: never) => boolean;

/**
 * The instance-local pub/sub behind TypeGraphQL's subscriptions (its `PubSub` shape).
 * Events arrive in batches (one per cross-instance message, possibly thousands of
 * events); each subscriber queues them and hands them out one at a time as its client
 * takes them, so a bulk change costs one append per subscriber and a slow client holds
 * back only itself. `createPubSub` from @graphql-yoga/subscription pushes event by event
 * and throws from inside the publisher once a subscriber has 1024 pending: a bulk
 * change would break it. A subscriber more than MAX_BACKLOG behind is ended with an
 * error (its client resubscribes and resynchronises through the `sessions` query).
 *
 * TypeGraphQL hands a subscription's `topicId` to `subscribe`; ours takes it as the
 * subscriber's filter (`Accepts`) and applies it on publish. TypeGraphQL's own `filter`
 * option wraps every subscription in a filtering iterator, which cost a thousand
 * subscribers about 15 ms per event (bench/RESULTS.md).
 */
export class LocalPubSub implements PubSub {
  private readonly subscribers = new Map<string, Set<Subscriber<unknown>>>();

  constructor(private readonly log?: Logger) {}

  /** Hands a batch to every current subscriber of the topic. */
  publishBatch(topic: Topic, payloads: readonly unknown[]): void {
    if (payloads.length === 0) return;
    for (const subscriber of this.subscribers.get(topic) ?? []) {
      const wanted = subscriber.accepts ? payloads.filter((payload) => this.accepted(subscriber, payload)) : payloads;
      if (wanted.length > 0) subscriber.deliver(wanted);
    }
  }

  publish(topic: string, ...args: unknown[]): void {
    this.publishBatch(topic as Topic, [args[0]]);
  }

  subscribe(topic: string, accepts?: unknown): AsyncIterableIterator<unknown> {
    const set = this.subscribers.get(topic) ?? new Set();
    this.subscribers.set(topic, set);
    const subscriber: Subscriber<unknown> = new Subscriber(() => set.delete(subscriber), () => {
      this.log?.warn({ topic, backlog: MAX_BACKLOG }, 'subscriber fell too far behind; ending its subscription');
    });
    if (typeof accepts === 'function') subscriber.accepts = accepts as (payload: unknown) => boolean;
    set.add(subscriber);
    return subscriber;
  }

  /** A filter that throws keeps that subscriber from the event, not everyone else. */
  private accepted(subscriber: Subscriber<unknown>, payload: unknown): boolean {
    try {
      return subscriber.accepts!(payload);
    } catch (error) {
      this.log?.error({ err: error }, 'a subscription filter failed; the event was not delivered to it');
      return false;
    }
  }

  /** Whether anyone on this instance listens: an instance without subscribers need not load anything. */
  hasSubscribers(topic: Topic): boolean {
    return (this.subscribers.get(topic)?.size ?? 0) > 0;
  }
}

/** One subscription's queue, read by graphql-js one event at a time. */
class Subscriber<T> implements AsyncIterableIterator<T> {
  accepts: ((payload: T) => boolean) | undefined;
  private queue: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failed = false;
  private done = false;

  constructor(
    private readonly onClose: () => void,
    private readonly onOverflow: () => void,
  ) {}

  deliver(batch: readonly T[]): void {
    if (this.done || this.failed) return;
    if (this.queue.length - this.head + batch.length > MAX_BACKLOG) {
      this.failed = true;
      this.queue = [];
      this.head = 0;
      this.onClose();
      this.onOverflow();
    } else {
      for (const item of batch) this.queue.push(item);
    }
    this.wake();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.waiting) return Promise.reject(new Error('next() called while another next() is pending'));
    return new Promise<IteratorResult<T>>((resolve) => {
      this.waiting = resolve;
      this.wake();
    }).then((result) => {
      if (this.failed && result.done) {
        this.failed = false;
        this.done = true;
        throw new Error('Too many undelivered events: subscribe again and resynchronise with the sessions query');
      }
      return result;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private wake(): void {
    const resolve = this.waiting;
    if (!resolve) return;
    if (this.head < this.queue.length) {
      const value = this.queue[this.head];
      this.head += 1;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      this.waiting = undefined;
      resolve({ value, done: false });
    } else if (this.done || this.failed) {
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue = [];
    this.head = 0;
    this.onClose();
    this.wake();
  }
}
