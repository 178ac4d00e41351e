/**
 * Fixed-window request counting per key, in this instance's memory (a feed poller talks to
 * one instance at a time; the limit is a guard against runaway clients, not an accounting).
 * At most `maxKeys` windows are kept: expired ones are dropped first, then the oldest.
 */
export class WindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly options: { max: number; windowMs: number; maxKeys?: number; now?: () => number },
  ) {}

  /** Counts one request; answers the seconds to wait when over the limit, else null. */
  hit(key: string): number | null {
    const now = this.options.now?.() ?? Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.options.windowMs) {
      this.windows.delete(key);
      this.makeRoom(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.options.max) return null;
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000));
  }

  private makeRoom(now: number): void {
    const maxKeys = this.options.maxKeys ?? 10_000;
    if (this.windows.size < maxKeys) return;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.options.windowMs) this.windows.delete(key);
    }
    // Still full: forget the oldest windows (Map keeps insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < maxKeys) break;
      this.windows.delete(key);
    }
  }
}
