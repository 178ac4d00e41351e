import type { NextFunction, RequestHandler, Response } from 'express';

export interface ConcurrencyLimit {
  /** Requests executing at once. */
  max: number;
  /** Requests waiting for a turn; past this, `busy` answers at once. */
  maxWaiting: number;
  busy: (res: Response) => void;
}

const SLOT = Symbol('concurrency slot');
interface Slot {
  closed: boolean;
  holds: number;
  release: () => void;
}

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
    slot.release();
  };
  work.then(settle, settle);
}

/**
 * Lets at most `max` requests through at once; the rest wait, in arrival order, before their
 * body is even read. Past the database pool's size, more requests in flight only wait for a
 * connection while keeping their objects alive through garbage collections, which made a
 * server under 64 concurrent clients slower than one under 4 (bench/RESULTS.md). A full
 * line is answered at once rather than left to grow until clients time out. A slot is
 * free again when the response is closed (finished, or the client went away) and all work
 * held on it with `holdSlot` has settled.
 */
export function concurrencyLimit({ max, maxWaiting, busy }: ConcurrencyLimit): RequestHandler {
  let active = 0;
  const waiting: { res: Response; next: NextFunction }[] = [];
  const run = (res: Response, next: NextFunction) => {
    active += 1;
    let released = false;
    const slot: Slot = {
      closed: false,
      holds: 0,
      release: () => {
        if (released || !slot.closed || slot.holds > 0) return;
        released = true;
        done();
      },
    };
    (res.locals as Record<symbol, Slot>)[SLOT] = slot;
    res.once('close', () => {
      slot.closed = true;
      slot.release();
    });
    next();
  };
  const done = () => {
    active -= 1;
    while (active < max && waiting.length > 0) {
      const { res, next } = waiting.shift()!;
      if (!res.closed) run(res, next); // skip clients that gave up while waiting
    }
  };
  return (_req, res, next) => {
    if (active < max) run(res, next);
    else if (waiting.length < maxWaiting) waiting.push({ res, next });
    else busy(res);
  };
}
