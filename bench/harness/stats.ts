/** Small numeric helpers for reporting. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export const median = (values: readonly number[]) => percentile(values, 50);

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 0);

export function ms(value: number): string {
  return value >= 10_000 ? `${round(value / 1000, 1)} s` : `${round(value, value < 10 ? 2 : 0)} ms`;
}

export const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));
