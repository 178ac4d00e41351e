/** One sample of Prometheus' text exposition format: `name{label="value",...} 12.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  samples: Sample[];
  /** Metric names announced by `# TYPE name kind` lines, with their kind. */
  types: Map<string, string>;
  /** The value of the one sample with this name and exactly these labels (0 when absent, as Prometheus treats a fresh counter). */
  value(name: string, labels?: Record<string, string>): number;
  /** Every sample of `name`. */
  series(name: string): Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** A strict parser: an unparseable line fails the test rather than being skipped. */
export function parsePrometheus(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) types.set(type[1], type[2]);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`Not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    // Prometheus reads NaN case-insensitively (prom-client writes "Nan" for an empty event-loop histogram).
    if (Number.isNaN(value) && match[3].toLowerCase() !== 'nan') throw new Error(`Bad sample value in: ${line}`);
    samples.push({ name: match[1], labels, value });
  }
  const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    samples,
    types,
    value: (name, labels = {}) => samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value ?? 0,
    series: (name) => samples.filter((s) => s.name === name),
  };
}

/** GET /metrics of a test server. */
export async function scrape(graphqlUrl: string, token?: string): Promise<{ status: number; contentType: string | null; text: string; metrics: Scrape | null }> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, metrics: response.status === 200 ? parsePrometheus(text) : null };
}
