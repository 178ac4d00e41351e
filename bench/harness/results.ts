import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../src/project-root';
import type { Machine } from './machine';

export interface ResultRow {
  metric: string;
  value: string;
  baseline?: string;
  ratio?: string;
  goal?: string;
  /** true/false when the row has a goal; undefined when it is information. */
  met?: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  ranAt: string;
  seconds: number;
  machine: Machine;
  rows: ResultRow[];
  notes: string[];
}

const ORDER = ['startup', 'query', 'generation', 'fanout', 'booking', 'integrations'];
const BEGIN = '<!-- bench:results:begin (written by `npm run bench`; edits inside are replaced) -->';
const END = '<!-- bench:results:end -->';

const benchDir = () => path.join(projectRoot(), 'bench');

/**
 * Stores one benchmark's result in bench/results.json and rewrites the generated part of
 * bench/RESULTS.md from it: that benchmark's table is replaced, the others stay as last
 * measured; text outside the markers (analysis) is kept.
 */
export async function writeResult(result: BenchResult): Promise<void> {
  const jsonFile = path.join(benchDir(), 'results.json');
  const all: Record<string, BenchResult> = existsSync(jsonFile) ? JSON.parse(await readFile(jsonFile, 'utf8')) : {};
  all[result.name] = result;
  const ordered = Object.fromEntries(
    Object.entries(all).sort(([a], [b]) => rank(a) - rank(b)),
  );
  await writeFile(jsonFile, `${JSON.stringify(ordered, null, 2)}\n`);

  const mdFile = path.join(benchDir(), 'RESULTS.md');
  const current = existsSync(mdFile) ? await readFile(mdFile, 'utf8') : `# Benchmark results\n\n${BEGIN}\n${END}\n`;
  const generated = `${BEGIN}\n${render(Object.values(ordered))}\n${END}`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + generated + current.slice(end + END.length) : `${current.trimEnd()}\n\n${generated}\n`;
  await writeFile(mdFile, next);
}

function rank(name: string): number {
  const index = ORDER.indexOf(name);
  return index < 0 ? ORDER.length : index;
}

function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, ${m.postgres} (embedded)`;
}

function render(results: BenchResult[]): string {
  if (results.length === 0) return '_No results yet: run `npm run bench`._';
  const latest = [...results].sort((a, b) => b.ranAt.localeCompare(a.ranAt))[0];
  const lines = [`Machine: ${machineLine(latest.machine)}.`, ''];
  for (const r of results) {
    const otherMachine = machineLine(r.machine) !== machineLine(latest.machine) ? ` Machine: ${machineLine(r.machine)}.` : '';
    lines.push(`### ${r.title}`, '');
    lines.push(`Run ${r.ranAt.replace(/\.\d+Z$/, 'Z')}, ${Math.round(r.seconds)} s, 1-min load average at start ${r.machine.loadAverage} on ${r.machine.cores} cores.${otherMachine}`, '');
    lines.push('| Metric | Result | Baseline | Ratio | Goal | Met |', '| --- | --- | --- | --- | --- | --- |');
    for (const row of r.rows) {
      const met = row.met === undefined ? '' : row.met ? 'yes' : '**no**';
      lines.push(`| ${[row.metric, row.value, row.baseline ?? '', row.ratio ?? '', row.goal ?? '', met].map(cell).join(' | ')} |`);
    }
    if (r.notes.length > 0) lines.push('', ...r.notes.map((note) => `- ${note}`));
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
