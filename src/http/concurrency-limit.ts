import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, RequestHandler, Response } from 'express';

export interface ConcurrencyLimit {
  /** Requests executing at once. */
  max: number;
  /** Requests waiting for a turn; past this, `busy` answers at once. */
  maxWaiting: number;
  busy: (res: Response) => void;
}

/** A request's turn, as the code it runs and `holdSlot` see it. */
interface Slot {
  /** Counts against `max` now. */
  held: boolean;
  /** The response is finished, or the client went away. */
  closed: boolean;
  /** Work still running on this turn (`holdSlot`). */
  holds: number;
  /** Steps out of line (`whileWaiting`, or for good once closed and idle). */
  giveUp(): void;
  /** Gives the turn back for good once the response is closed and no work holds it. */
  settle(): void;
  /** Takes a turn again, ahead of requests that have not started. */
  reacquire(): Promise<void>;
}

const SLOT = Symbol('concurrency slot');
const currentSlot = new AsyncLocalStorage<Slot>();

/**
 * Keeps the request's slot taken until `work` settles, even when the response is long
 * gone: a GraphQL response can be sent while resolvers of its other fields still run (one
 * root field failing ends the response; its siblings are not stopped), and that work must
 * count against the limit, or a client could start any amount of it.
 */
export function holdSlot(res: Response, work: Promise<unknown>): void {
  const slot = (res.locals as Record<symbol, Slot | undefined>)[SLOT];
  if (!slot) return;
  slot.holds += 1;
  const settle = () => {
    slot.holds -= 1;
    slot.settle();
  };
  work.then(settle, settle);
}

/**
 * Runs `work` without holding the request's turn: for waits that need neither the
 * database nor this thread (a password KDF on libuv's pool), so that 200 sign-ins at
 * once do not keep every other request in line behind them. Outside a limited request
 * it simply runs `work`.
 */
export async function whileWaiting<T>(work: () => Promise<T>): Promise<T> {
  const slot = currentSlot.getStore();
  if (!slot?.held) return work();
  slot.giveUp();
  try {
    return await work();
  } finally {
    await slot.reacquire();
  }
}

/**
 * Lets at most `max` requests through at once; the rest wait, in arrival order, before their
 * body is even read. Past the database pool's size, more requests in flight only wait for a
 * connection while keeping their objects alive through garbage collections, which made a
 * server under 64 concurrent clients slower than one under 4 (bench/RESULTS.md). A full
 * line is answered at once rather than left to grow until clients time out. A slot is
 * free again when the response is closed (finished, or the client went away) and all work
 * held on it with `holdSlot` has settled. A request may step out of its turn while it waits
 * for something else (`whileWaiting`); it comes back ahead of requests that have not started.
 */
export function concurrencyLimit({ max, maxWaiting, busy }: ConcurrencyLimit): RequestHandler {
  let active = 0;
  const waiting: { res: Response; next: NextFunction }[] = [];
  const resuming: (() => void)[] = [];

  const drain = () => {
    while (active < max && resuming.length > 0) {
      active += 1;
      resuming.shift()!();
    }
    while (active < max && waiting.length > 0) {
      const { res, next } = waiting.shift()!;
      if (!res.closed) run(res, next); // skip clients that gave up while waiting
    }
  };

  const run = (res: Response, next: NextFunction) => {
    active += 1;
    const slot: Slot = {
      held: true,
      closed: false,
      holds: 0,
      giveUp() {
        if (!slot.held) return;
        slot.held = false;
        active -= 1;
        drain();
      },
      settle() {
        if (slot.closed && slot.holds === 0) slot.giveUp();
      },
      reacquire() {
        // Nothing left to count once the response is closed and no work holds the turn.
        if (slot.held || (slot.closed && slot.holds === 0)) return Promise.resolve();
        return new Promise<void>((resolve) => {
          resuming.push(() => {
            slot.held = true;
            resolve();
            slot.settle();
          });
          drain();
        });
      },
    };
    (res.locals as Record<symbol, Slot>)[SLOT] = slot;
    res.once('close', () => {
      slot.closed = true;
      slot.settle();
    });
    currentSlot.run(slot, next);
  };

  return (_req, res, next) => {
    if (active < max && resuming.length === 0) run(res, next);
    else if (waiting.length < maxWaiting) waiting.push({ res, next });
    else busy(res);
  };
}
