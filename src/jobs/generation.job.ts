import cron from 'node-cron';
import type { Logger } from '../logger';
import type { GenerationService } from '../services/generation.service';

export interface GenerationJob {
  /** Stops the schedule and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * The in-process schedule (CRON_SCHEDULE, in UTC). Every instance may run it: the
 * generation lock makes simultaneous runs on several instances wait for each other and
 * find nothing left to do. A failed run is already recorded as FAILED by the service;
 * here it is only logged, and the next tick repairs it.
 */
export function startGenerationJob(options: { schedule: string; enabled: boolean; generation: GenerationService; log: Logger }): GenerationJob {
  const { schedule, enabled, generation, log } = options;
  if (!enabled) return { stop: async () => undefined };

  let running: Promise<unknown> | null = null;
  const task = cron.schedule(
    schedule,
    async () => {
      if (running) return; // this instance is still busy with the previous tick
      running = generation.run('CRON').catch((error: unknown) => log.error({ err: error }, 'scheduled generation failed'));
      try {
        await running;
      } finally {
        running = null;
      }
    },
    { timezone: 'UTC', name: 'generate-sessions', noOverlap: true },
  );
  log.info({ schedule }, 'generation schedule started (UTC)');

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        await task.destroy();
        await running;
      })()),
  };
}
