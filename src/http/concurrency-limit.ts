import type { RequestHandler, Response } from 'express';
import { concurrencyLimiter, hold, type Slot } from '../runtime/concurrency-limit';

export interface ConcurrencyLimit {
  /** Requests executing at once. */
  max: number;
  /** Requests waiting for a turn; past this, `busy` answers at once. */
  maxWaiting: number;
  busy: (res: Response) => void;
}

const SLOT = Symbol('concurrency slot');

/**
 * Keeps the request's slot taken until `work` settles, even when the response is long
 * gone (src/runtime/concurrency-limit.ts `hold`).
 */
export function holdSlot(res: Response, work: Promise<unknown>): void {
  const slot = (res.locals as Record<symbol, Slot | undefined>)[SLOT];
  if (slot) hold(slot, work);
}

/**
 * Lets at most `max` requests through at once; the rest wait, in arrival order, before their
 * body is even read. Past the database pool's size, more requests in flight only wait for a
 * connection while keeping their objects alive through garbage collections, which made a
 * server under 64 concurrent clients slower than one under 4 (bench/RESULTS.md). A full
 * line is answered at once rather than left to grow until clients time out. A slot is
 * free again when the response is closed (finished, or the client went away) and all work
 * held on it with `holdSlot` has settled. A request may step out of its turn while it waits
 * for something else (`whileWaiting`, src/runtime/concurrency-limit.ts); it comes back
 * ahead of requests that have not started.
 */
export function concurrencyLimit({ max, maxWaiting, busy }: ConcurrencyLimit): RequestHandler {
  const limiter = concurrencyLimiter({ max, maxWaiting });
  return (_req, res, next) => {
    const request = {
      get closed() {
        return res.closed;
      },
      onceClosed: (listener: () => void) => res.once('close', listener),
    };
    const admitted = limiter.admit(request, (slot) => {
      (res.locals as Record<symbol, Slot>)[SLOT] = slot;
      next();
    });
    if (!admitted) busy(res);
  };
}
