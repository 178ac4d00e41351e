import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Turns at a limited resource (requests executing at once), with no framework in it:
 * code at any layer can step out of its turn while it waits (`whileWaiting`), and
 * src/http/concurrency-limit.ts wires the limiter to Express requests.
 */

/** A request's turn, as the code it runs and `hold` see it. */
export interface Slot {
  /** Counts against `max` now. */
  held: boolean;
  /** The response is finished, or the client went away. */
  closed: boolean;
  /** Work still running on this turn (`hold`). */
  holds: number;
  /** Steps out of line (`whileWaiting`, or for good once closed and idle). */
  giveUp(): void;
  /** Gives the turn back for good once the response is closed and no work holds it. */
  settle(): void;
  /** Takes a turn again, ahead of requests that have not started. */
  reacquire(): Promise<void>;
}

/** What the limiter needs of a request: whether it is over, and word when it is. */
export interface LimitedRequest {
  readonly closed: boolean;
  onceClosed(listener: () => void): void;
}

export interface ConcurrencyLimiter {
  /** Runs `start` in a turn, now or once one is free; false (and nothing runs) when the line is full. */
  admit(request: LimitedRequest, start: (slot: Slot) => void): boolean;
}

const currentSlot = new AsyncLocalStorage<Slot>();

/**
 * Keeps the slot taken until `work` settles, even when the response is long gone: a
 * GraphQL response can be sent while resolvers of its other fields still run (one root
 * field failing ends the response; its siblings are not stopped), and that work must
 * count against the limit, or a client could start any amount of it.
 */
export function hold(slot: Slot, work: Promise<unknown>): void {
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
 * Lets at most `max` requests run at once; the rest wait, in arrival order (at most
 * `maxWaiting` of them). A slot is free again when the request is closed and all work held
 * on it with `hold` has settled. A request may step out of its turn while it waits for
 * something else (`whileWaiting`); it comes back ahead of requests that have not started.
 */
export function concurrencyLimiter({ max, maxWaiting }: { max: number; maxWaiting: number }): ConcurrencyLimiter {
  let active = 0;
  const waiting: { request: LimitedRequest; start: (slot: Slot) => void }[] = [];
  const resuming: (() => void)[] = [];

  const drain = () => {
    while (active < max && resuming.length > 0) {
      active += 1;
      resuming.shift()!();
    }
    while (active < max && waiting.length > 0) {
      const { request, start } = waiting.shift()!;
      if (!request.closed) run(request, start); // skip clients that gave up while waiting
    }
  };

  const run = (request: LimitedRequest, start: (slot: Slot) => void) => {
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
    request.onceClosed(() => {
      slot.closed = true;
      slot.settle();
    });
    currentSlot.run(slot, () => start(slot));
  };

  return {
    admit(request, start) {
      if (active < max && resuming.length === 0) run(request, start);
      else if (waiting.length < maxWaiting) waiting.push({ request, start });
      else return false;
      return true;
    },
  };
}
