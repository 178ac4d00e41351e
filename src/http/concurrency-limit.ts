import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, RequestHandler, Response } from 'express';

export interface ConcurrencyLimit {
  /** Requests executing at once. */
  max: number;
  /** Requests waiting for a turn; past this, `busy` answers at once. */
  maxWaiting: number;
  busy: (res: Response) => void;
}

/** A request's turn, as the code it runs sees it (see `whileWaiting`). */
interface Slot {
  held: boolean;
  release(): void;
  /** Takes a turn again, ahead of requests that have not started. */
  reacquire(): Promise<void>;
}

const currentSlot = new AsyncLocalStorage<Slot>();

/**
 * Runs `work` without holding the request's turn: for waits that need neither the
 * database nor this thread (a password KDF on libuv's pool), so that 200 sign-ins at
 * once do not keep every other request in line behind them. Outside a limited request
 * it simply runs `work`.
 */
export async function whileWaiting<T>(work: () => Promise<T>): Promise<T> {
  const slot = currentSlot.getStore();
  if (!slot?.held) return work();
  slot.release();
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
 * line is answered at once rather than left to grow until clients time out. A request may
 * step out of its turn while it waits for something else (`whileWaiting`); it comes back
 * ahead of requests that have not started.
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
      release() {
        if (!slot.held) return;
        slot.held = false;
        active -= 1;
        drain();
      },
      reacquire() {
        if (slot.held || res.closed) return Promise.resolve();
        return new Promise<void>((resolve) => {
          resuming.push(() => {
            slot.held = true;
            // The client left while this request was out of line: give the turn back at once.
            if (res.closed) slot.release();
            resolve();
          });
          drain();
        });
      },
    };
    res.once('close', () => slot.release()); // finished, or the client went away
    currentSlot.run(slot, next);
  };

  return (_req, res, next) => {
    if (active < max && resuming.length === 0) run(res, next);
    else if (waiting.length < maxWaiting) waiting.push({ res, next });
    else busy(res);
  };
}
