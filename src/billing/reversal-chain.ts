/**
 * A charge and its corrections form a chain: the original (per subject and kind), its
 * reversal, a reinstatement reversing that, and so on. The tip says what stands now.
 */

/** The last line of the chain starting at the (subject, kind) original, and whether it stands (an odd chain: original, or reinstated). */
export function chainTip<T extends { id: string; kind: string; reversesId: string | null }>(chain: readonly T[], kind: string): { line: T; active: boolean } | null {
  let line = chain.find((c) => c.kind === kind);
  let length = line ? 1 : 0;
  while (line) {
    const next = chain.find((c) => c.reversesId === line!.id);
    if (!next) break;
    line = next;
    length += 1;
  }
  return line ? { line, active: length % 2 === 1 } : null;
}
