import type { NextFunction, RequestHandler, Response } from 'express';

export interface ConcurrencyLimit {
  /** Requests executing at once. */
  max: number;
  /** Requests waiting for a turn; past this, `busy` answers at once. */
  maxWaiting: number;
  busy: (res: Response) => void;
}

/**
 * Lets at most `max` requests through at once; the rest wait, in arrival order, before their
 * body is even read. Past the database pool's size, more requests in flight only wait for a
 * connection while keeping their objects alive through garbage collections, which made a
 * server under 64 concurrent clients slower than one under 4 (bench/RESULTS.md). A full
 * line is answered at once rather than left to grow until clients time out.
 */
export function concurrencyLimit({ max, maxWaiting, busy }: ConcurrencyLimit): RequestHandler {
  let active = 0;
  const waiting: { res: Response; next: NextFunction }[] = [];
  const run = (res: Response, next: NextFunction) => {
    active += 1;
    res.once('close', done); // finished, or the client went away
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
