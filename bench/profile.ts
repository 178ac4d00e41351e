/**
 * node bench/.tmp/build/bench/profile.js FILE.cpuprofile [N]: the N functions with the most
 * self time in a V8 CPU profile (BENCH_CPU_PROF=1 npm run bench:<name> writes them into
 * bench/.tmp/profiles), and the same grouped by package, to see where a server's time goes.
 * INCLUSIVE=regex,regex... also prints the share of samples with a matching frame
 * ("function url") anywhere on the stack, e.g. INCLUSIVE='@prisma,graphql/execution'.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile.js FILE.cpuprofile [N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|bench\/\.tmp\/build)\//, '$1/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/src/') ? 'our code' : url ? url.replace(/^.*\//, '') : `(${functionName})`);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
  });
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = (process.env.INCLUSIVE ?? '').split(',').filter(Boolean).map((r) => new RegExp(r));
  const under = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame) frames.push(`${frame.functionName} ${frame.url}`);
    }
    for (const re of inclusive) if (frames.some((f) => re.test(f))) under.set(re.source, (under.get(re.source) ?? 0) + dt);
  });
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms)`);
    for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
      console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
    }
  };
  print('Self time by function', self);
  print('Self time by package', byPackage);
  if (inclusive.length > 0) print('Inclusive time (a matching frame anywhere on the stack)', under);
}

main();
