import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout (the server), or on stderr (command-line tools, whose stdout is their output). */
export function createLogger(level: string, to: 'stdout' | 'stderr' = 'stdout'): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  return to === 'stderr' ? pino(options, pino.destination({ fd: 2, sync: true })) : pino(options);
}
