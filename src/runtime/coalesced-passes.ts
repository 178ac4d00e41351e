/**
 * One pass at a time, on demand: kick() starts a pass, or asks for one more after the pass
 * under way (however many kicks came meanwhile). The outbox and reminder workers are woken
 * by NOTIFY, timers and polls at once; this keeps them from running twice side by side.
 */
export class CoalescedPasses {
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = false;

  /** `pass` should check `stopping` between steps; a throw ends the loop (the next kick starts again). */
  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  kick(): void {
    if (this.stopped) return;
    this.wanted = true;
    this.running ??= this.loop();
  }

  /** true once stop() was called. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** true when a kick came during the pass under way (another pass follows it). */
  get kickedAgain(): boolean {
    return this.wanted;
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** No new passes; resolves when the one under way ends. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.running ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    try {
      while (this.wanted && !this.stopped) {
        this.wanted = false;
        await this.pass();
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = undefined;
    }
  }
}
