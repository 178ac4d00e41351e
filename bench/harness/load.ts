/** HTTP load on loopback through autocannon's programmatic API, bounded in time. */

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  /** Every response body must equal this, or it counts as a mismatch. */
  expectBody?: string;
}

interface Histogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  duration: number;
}

// autocannon ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  /** errors + timeouts + non-2xx + bodies that differ from the expected answer */
  failures: number;
}

export interface LoadOptions {
  url: string;
  body: string;
  token?: string;
  connections: number;
  seconds: number;
}

/**
 * Sends one GraphQL request first to learn the exact answer, then `connections` clients
 * repeat it for `seconds`; any answer that is not byte-for-byte that one counts as a failure.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  const probe = await fetch(options.url, { method: 'POST', headers, body: options.body });
  const expected = await probe.text();
  if (probe.status !== 200 || expected.includes('"errors"')) throw new Error(`probe request failed (${probe.status}): ${expected.slice(0, 500)}`);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: 'POST',
    headers,
    body: options.body,
    expectBody: expected,
  });
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}
